// A container's life in the runtime: output captured, labels, removal, kill, abort, timeout, kill by employee.
import assert from 'node:assert/strict';
import { AuraError } from '../../core/domain/errors';
import { containersWith, ensureWorkerImage, eventually, exists, spec, testLabels, testRuntime } from './support/engine';

const sh = (script: string) => ['sh', '-c', script];

describe('Docker runtime: one command per container', function () {
  this.timeout(60_000);
  before(async () => {
    await ensureWorkerImage();
  });

  it('delivers stdin and captures stdout, stderr, exit code and duration, with secrets masked', async () => {
    const h = await testRuntime().run(
      spec({ command: sh('cat; echo "key=$API_KEY" >&2; echo "again $API_KEY"; exit 7'), stdin: 'line one\nline two\n', env: { API_KEY: 'sk-live-0123456789' }, redact: ['sk-live-0123456789'] }),
    );
    const r = await h.result;
    assert.equal(r.exitCode, 7);
    assert.equal(r.reason, 'exited');
    assert.equal(r.stdout, 'line one\nline two\nagain ***\n');
    assert.equal(r.stderr, 'key=***\n');
    assert.ok(r.durationMs > 0 && r.durationMs < 10_000, `duration ${r.durationMs}`);
    assert.equal(r.containerId, h.id);
  });

  it('labels the container while it runs and removes it after', async () => {
    const labels = testLabels('e-labels');
    const h = await testRuntime().run(spec({ labels, command: ['sleep', '1'] }));
    const info = await testRuntime().engine.docker.getContainer(h.id).inspect();
    assert.equal(info.Config.Labels['aura.run'], labels['aura.run']);
    assert.equal(info.Config.Labels['aura.task'], labels['aura.task']);
    assert.equal(info.Config.Labels['aura.employee'], 'e-labels');
    assert.equal(info.Config.Labels['aura.managed'], 'true');
    await h.result;
    assert.equal(await exists(h.id), false);
  });

  it('kill() mid-run ends it at once with reason killed', async () => {
    const h = await testRuntime().run(spec({ command: sh('echo started; sleep 30') }));
    const started = Date.now();
    await h.kill();
    const r = await h.result;
    assert.equal(r.reason, 'killed');
    assert.equal(r.exitCode, 137);
    assert.ok(Date.now() - started < 5_000, 'the kill took too long');
    assert.equal(await exists(h.id), false);
  });

  it('kill() after the container ended on its own changes nothing', async () => {
    const h = await testRuntime().run(spec({ command: ['true'] }));
    const r = await h.result;
    await h.kill();
    assert.equal(r.reason, 'exited');
    assert.equal(r.exitCode, 0);
  });

  it('an abort signal kills it mid-run, and one already aborted starts nothing', async () => {
    const controller = new AbortController();
    const h = await testRuntime().run(spec({ command: ['sleep', '30'], signal: controller.signal }));
    controller.abort();
    assert.equal((await h.result).reason, 'killed');

    const labels = testLabels();
    const none = await testRuntime().run(spec({ labels, command: ['sleep', '30'], signal: AbortSignal.abort() }));
    assert.equal((await none.result).reason, 'killed');
    assert.deepEqual(await containersWith(labels), []);
  });

  it('kills it with reason timeout past its deadline', async () => {
    const h = await testRuntime().run(spec({ command: sh('echo before; sleep 30'), timeoutMs: 800 }));
    const r = await h.result;
    assert.equal(r.reason, 'timeout');
    assert.equal(r.exitCode, 137);
    assert.equal(r.stdout, 'before\n');
    assert.ok(r.durationMs >= 800 && r.durationMs < 5_000, `duration ${r.durationMs}`);
  });

  it("killByLabels kills one employee's containers and leaves another's running", async () => {
    const rt = testRuntime();
    const a1 = await rt.run(spec({ labels: testLabels('e-suspended'), command: ['sleep', '30'] }));
    const a2 = await rt.run(spec({ labels: testLabels('e-suspended'), command: ['sleep', '30'] }));
    const b = await rt.run(spec({ labels: testLabels('e-other'), command: ['sleep', '30'] }));
    assert.equal(await rt.killByLabels({ 'aura.employee': 'e-suspended' }), 2);
    assert.equal((await a1.result).reason, 'killed');
    assert.equal((await a2.result).reason, 'killed');
    const info = await rt.engine.docker.getContainer(b.id).inspect();
    assert.equal(info.State.Running, true);
    await b.kill();
    assert.equal((await b.result).reason, 'killed');
  });

  it('removeByLabels removes leftover containers, running or not', async () => {
    const labels = testLabels('e-orphans');
    const docker = testRuntime().engine.docker;
    const managed = { ...labels, 'aura.managed': 'true' };
    const stopped = await docker.createContainer({ Image: 'aura/worker:local', Cmd: ['true'], Labels: managed, HostConfig: { NetworkMode: 'none' } });
    const running = await docker.createContainer({ Image: 'aura/worker:local', Cmd: ['sleep', '30'], Labels: managed, HostConfig: { NetworkMode: 'none' } });
    await running.start();
    assert.equal(await testRuntime().removeByLabels(labels), 2);
    assert.deepEqual(await containersWith(labels), []);
    assert.equal(await exists(stopped.id), false);
  });

  it('streams output live and keeps the head and tail of output beyond its cap', async () => {
    let firstByteAt = 0;
    const chunks: string[] = [];
    const h = await testRuntime().run(
      spec({
        maxOutputBytes: 4096,
        command: sh('echo first; sleep 0.5; i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i+1)); done'),
        onOutput: (stream, text) => {
          if (!firstByteAt) firstByteAt = Date.now();
          if (stream === 'stdout') chunks.push(text);
        },
      }),
    );
    const r = await h.result;
    const endedAt = Date.now();
    assert.ok(firstByteAt > 0 && endedAt - firstByteAt >= 400, 'the first line arrived only at the end');
    assert.equal(r.truncated, true);
    assert.ok(r.stdout.startsWith('first\nline 0\n'), r.stdout.slice(0, 40));
    assert.ok(r.stdout.endsWith('line 2999\n'));
    assert.match(r.stdout, /\[aura: \d+ bytes of output dropped\]/);
    assert.ok(Buffer.byteLength(r.stdout) < 4096 + 100);
    assert.ok(chunks.join('').endsWith('line 2999\n'));
  });

  it('names `aura images build` when the image is missing', async () => {
    await assert.rejects(testRuntime().run(spec({ image: 'aura/not-built:here' })), (e: unknown) => AuraError.is(e, 'not_found') && /aura images build/.test(e.message));
    // An agent's image is named with the command that builds it.
    await assert.rejects(testRuntime().run(spec({ image: 'aura/agent-codex:0.0.0-missing' })), (e: unknown) => AuraError.is(e, 'not_found') && /aura images build --agent codex/.test(e.message));
  });

  it('runs several containers at once, each isolated from the others', async () => {
    const rt = testRuntime();
    const handles = await Promise.all([1, 2, 3].map((n) => rt.run(spec({ command: sh(`echo ${n} > /tmp/mine; sleep 0.3; cat /tmp/mine`) }))));
    const results = await Promise.all(handles.map((h) => h.result));
    assert.deepEqual(results.map((r) => r.stdout), ['1\n', '2\n', '3\n']);
    await eventually(async () => !(await Promise.all(handles.map((h) => exists(h.id)))).some(Boolean), 5_000, 'removal');
  });
});
