// The engine gate: container employees may run only while the engine answers; in-process ones always may.
import assert from 'node:assert/strict';
import { createDockerRuntime } from '../../../adapters/containers/docker-runtime';
import { createEngineGate } from '../../../core/workforce/workers/engine-gate';
import { createEngineProxy, type EngineProxy } from '../support/engine-proxy';
import { employee } from './worker-harness';

describe('engine gate (real engine behind a proxy that can cut it off)', function () {
  this.timeout(30_000);
  let proxy: EngineProxy;

  before(async () => {
    const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    proxy = await createEngineProxy(host.replace(/^unix:\/\//, ''));
  });
  after(async () => proxy?.cut());

  it('says no, with the reason, while the engine is cut off, and yes again once it is back', async () => {
    const gate = createEngineGate(createDockerRuntime({ dockerHost: proxy.host }), { cacheMs: 0 });
    const cli = employee({ provider: 'cli', command: ['true'] });
    assert.deepEqual(await gate.canRun(cli), { ok: true });
    await proxy.cut();
    const refused = await gate.canRun(cli);
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /container engine is unreachable .*the task waits/);
    assert.deepEqual(await gate.canRun(employee({ provider: 'in-process' })), { ok: true }, 'in-process employees need no engine');
    await proxy.restore();
    assert.deepEqual(await gate.canRun(cli), { ok: true });
  });

  it('asks the engine at most once per cache period', async () => {
    let pings = 0;
    const runtime = createDockerRuntime({ dockerHost: proxy.host });
    const counting = { ...runtime, ping: () => (pings++, runtime.ping()) };
    let now = 0;
    const gate = createEngineGate(counting, { cacheMs: 1_000, now: () => now });
    const emp = employee({ provider: 'openai' });
    await Promise.all([gate.canRun(emp), gate.canRun(emp), gate.canRun(emp)]);
    now = 999;
    await gate.canRun(emp);
    assert.equal(pings, 1);
    now = 1_000;
    await gate.canRun(emp);
    assert.equal(pings, 2);
  });
});
