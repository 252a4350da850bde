// Exec sessions: several commands in one long-lived, equally isolated container for one task.
import assert from 'node:assert/strict';
import { AuraError } from '../../core/domain/errors';
import { ensureWorkerImage, exists, spec, testRuntime } from './support/engine';

const sessionSpec = (overrides: Parameters<typeof spec>[0] = {}) => {
  const { command: _none, ...rest } = spec(overrides);
  return rest;
};

describe('Docker runtime: exec sessions', function () {
  this.timeout(60_000);
  before(async () => {
    await ensureWorkerImage();
  });

  it('runs several commands in one container, keeping state between them', async () => {
    const s = await testRuntime().start(sessionSpec({ env: { TASK_ID: 't-9' } }));
    try {
      const first = await s.exec(['sh', '-c', 'echo "$TASK_ID" > /tmp/state; id -u']);
      assert.equal(first.stdout, '65534\n');
      assert.equal(first.exitCode, 0);
      const second = await s.exec(['sh', '-c', 'cat /tmp/state; cat; echo "$EXTRA" >&2; exit 4'], { stdin: 'piped in\n', env: { EXTRA: 'only-here' } });
      assert.deepEqual(
        { stdout: second.stdout, stderr: second.stderr, exitCode: second.exitCode, reason: second.reason, containerId: second.containerId, command: second.command },
        { stdout: 't-9\npiped in\n', stderr: 'only-here\n', exitCode: 4, reason: 'exited', containerId: s.id, command: ['sh', '-c', 'cat /tmp/state; cat; echo "$EXTRA" >&2; exit 4'] },
      );
      const third = await s.exec(['sh', '-c', 'echo "[$EXTRA]"; touch /etc/x 2>&1'], { redact: ['Read-only'] });
      assert.equal(third.stdout, '[]\ntouch: /etc/x: *** file system\n');
      const fourth = await s.exec(['echo', 'key=sk-arg-secret'], { redact: ['sk-arg-secret'] });
      assert.deepEqual([fourth.command, fourth.stdout], [['echo', 'key=***'], 'key=***\n']);
    } finally {
      await s.remove();
    }
    assert.equal(await exists(s.id), false);
  });

  it('a command past its deadline ends the session with reason timeout', async () => {
    const s = await testRuntime().start(sessionSpec());
    const r = await s.exec(['sh', '-c', 'echo working; sleep 30'], { timeoutMs: 600 });
    assert.equal(r.reason, 'timeout');
    assert.equal(r.stdout, 'working\n');
    assert.deepEqual(await s.ended, { reason: 'timeout', exitCode: 137 });
    await assert.rejects(s.exec(['true']), (e: unknown) => AuraError.is(e, 'conflict'));
    await s.remove();
  });

  it('kill() during a command ends it with reason killed and removes the container', async () => {
    const s = await testRuntime().start(sessionSpec());
    const running = s.exec(['sleep', '30']);
    await new Promise((r) => setTimeout(r, 300));
    await s.kill();
    assert.equal((await running).reason, 'killed');
    assert.equal((await s.ended).reason, 'killed');
    assert.equal(await exists(s.id), false);
  });

  it('a command that exceeds the memory limit ends with reason oom', async () => {
    const s = await testRuntime().start(sessionSpec({ memoryMb: 64 }));
    try {
      const r = await s.exec(['node', '-e', 'const a = []; for (;;) a.push(Buffer.alloc(8 << 20, 1))']);
      assert.equal(r.exitCode, 137);
      assert.equal(r.reason, 'oom');
    } finally {
      await s.remove();
    }
  });

  it('the session ends with reason timeout at the end of its lifetime', async () => {
    const s = await testRuntime().start(sessionSpec({ timeoutMs: 700 }));
    const end = await s.ended;
    assert.equal(end.reason, 'timeout');
    assert.equal(await exists(s.id), false);
  });
});
