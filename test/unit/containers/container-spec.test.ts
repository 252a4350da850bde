// Container specs: the isolation envelope every container gets, and specs the runtime refuses.
import assert from 'node:assert/strict';
import { createOptions, parseRunSpec, parseSessionSpec } from '../../../adapters/containers/container-spec';
import type { ContainerSpec } from '../../../core/containers/container-runtime';
import { AuraError } from '../../../core/domain/errors';

const spec: ContainerSpec = { image: 'aura/worker:local', command: ['true'], network: 'none', memoryMb: 256, cpus: 0.5, pids: 64, timeoutMs: 1000 };
const isolation = { egressNetwork: 'host' };

describe('createOptions', () => {
  it('imposes the isolation envelope whatever the spec', () => {
    const o = createOptions({ ...spec, workspace: '/w', readOnlyMounts: { '/ro': '/opt/ro' }, labels: { 'aura.task': 't-1' } }, spec.command, isolation, false);
    const h = o.HostConfig!;
    assert.equal(o.User, '65534:65534');
    assert.equal(h.ReadonlyRootfs, true);
    assert.deepEqual(h.CapDrop, ['ALL']);
    assert.deepEqual(h.SecurityOpt, ['no-new-privileges']);
    assert.equal(h.Privileged, false);
    assert.equal(h.NetworkMode, 'none');
    assert.equal(h.Memory, 256 * 1024 * 1024);
    assert.equal(h.MemorySwap, h.Memory);
    assert.equal(h.NanoCpus, 5e8);
    assert.equal(h.PidsLimit, 64);
    assert.match(h.Tmpfs!['/tmp']!, /size=64m/);
    assert.deepEqual(h.Mounts, [
      { Type: 'bind', Source: '/w', Target: '/workspace', ReadOnly: false },
      { Type: 'bind', Source: '/ro', Target: '/opt/ro', ReadOnly: true },
    ]);
    assert.equal(o.WorkingDir, '/workspace');
    assert.deepEqual(o.Labels, { 'aura.task': 't-1', 'aura.managed': 'true' });
    assert.deepEqual(o.Env, []);
  });

  it("gives egress the runtime's egress network and nothing else", () => {
    assert.equal(createOptions({ ...spec, network: 'egress' }, spec.command, isolation, false).HostConfig!.NetworkMode, 'host');
    assert.equal(createOptions({ ...spec, network: 'egress' }, spec.command, { egressNetwork: 'aura-egress' }, false).HostConfig!.NetworkMode, 'aura-egress');
  });

  it('gives a lone uid the group of the same number, never group 0', () => {
    assert.equal(createOptions({ ...spec, user: '1000' }, spec.command, isolation, false).User, '1000:1000');
  });
});

describe('parseRunSpec', () => {
  const refuses = (bad: Partial<ContainerSpec> & Record<string, unknown>, pattern: RegExp) =>
    assert.throws(() => parseRunSpec({ ...spec, ...bad } as ContainerSpec), (e: unknown) => AuraError.is(e, 'invalid_input') && pattern.test(e.message));

  it('refuses root, by uid or by gid', () => {
    refuses({ user: '0' }, /never run as root/);
    refuses({ user: '1000:0' }, /never run as root/);
    refuses({ user: 'root' }, /numeric uid/);
  });

  it('refuses relative mounts, an empty command and a bad environment name', () => {
    refuses({ workspace: 'relative/dir' }, /workspace: expected an absolute path/);
    refuses({ readOnlyMounts: { '/a': '/' } }, /absolute path other than/);
    refuses({ command: [] }, /expected a command/);
    refuses({ env: { 'BAD-NAME': 'x' } }, /env.BAD-NAME: Invalid key/);
  });

  it('refuses an unknown network mode', () => {
    refuses({ network: 'host' as never }, /network/);
  });

  it('accepts a session spec without a command', () => {
    const { command: _omit, ...rest } = spec;
    assert.equal(parseSessionSpec(rest).command, undefined);
  });
});
