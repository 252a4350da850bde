// Faults in a real run: an employee's container killed mid-task (the Manager reassigns and the task still succeeds),
// and the container engine gone mid-run (tasks wait, nothing runs, and all of it finishes once the engine is back).
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../../core/events/stored-event';
import { agentScript, type RunRig, startRunRig } from './run-harness';

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a run with faults: killed containers and an engine that goes away (real containers)', function () {
  this.timeout(240_000);
  let rig: RunRig;

  before(async function () {
    this.timeout(180_000);
    rig = await startRunRig();
    for (const name of ['slow-sam', 'slow-sue']) {
      await rig.orchestrator.employees.hire({ name, provider: 'cli', model: 'node-script', command: ['node', '-e', agentScript], skills: ['slowpoke'] }, 'director');
    }
  });
  after(async function () {
    this.timeout(60_000);
    await rig?.close();
  });

  const events = (runId: string) => rig.orchestrator.events.query({ runId, limit: 1000 }) as Promise<StoredEvent[]>;

  it('a container killed mid-task fails that attempt; the Manager reassigns the task to another employee and it succeeds', async () => {
    const repo = rig.repo('killed');
    const prd = `# Kill test\n\n1. [slow] **Create the slow part**: slow on the first attempt (skills: slowpoke) (scope: out/slow.txt)\n   - \`grep -qx "slow done" out/slow.txt\`\n`;
    const run = await rig.orchestrator.runs.submit({ prd, workspace: repo }, 'director');
    const taskId = run.tasks[0]!.id;
    await waitUntil('the first attempt\'s container', async () => (await rig.runtime.engine.docker.listContainers({ filters: { label: [`aura.task=${taskId}`, 'aura.attempt=1'] } })).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await rig.runtime.killByLabels({ 'aura.task': taskId }), 1, 'killed as HR or the Director would');

    const done = await rig.waitForRun(run.id, ['succeeded', 'failed', 'partial']);
    assert.equal(done.status, 'succeeded');
    const task = done.tasks[0]!;
    assert.equal(task.attempt, 2);
    const log = await events(run.id);
    const failed = log.find((e) => e.type === 'TaskFailed')!;
    assert.match((failed.payload as { reason: string }).reason, /killed from outside/);
    const assigned = log.filter((e) => e.type === 'TaskAssigned').map((e) => (e.payload as { employeeId: string }).employeeId);
    assert.equal(assigned.length, 2);
    assert.notEqual(assigned[0], assigned[1], 'the second attempt went to the other employee');
    assert.equal(task.employeeId, assigned[1]);
    assert.equal(rig.git(repo, 'show', `aura/run-${run.id}:out/slow.txt`), 'slow done');
  });

  it('while the engine is unreachable tasks wait and nothing runs; once it is back every task runs and succeeds', async () => {
    const repo = rig.repo('outage');
    const items = ['one', 'two', 'three', 'four'].map((k, i) => `${i + 1}. [${k}] **Create part ${k}**: takes two seconds (skills: slowpoke) (scope: out/${k}.txt)\n   - \`grep -qx "${k} done" out/${k}.txt\``);
    const run = await rig.orchestrator.runs.submit({ prd: `# Outage test\n\n${items.join('\n')}\n`, workspace: repo }, 'director');
    await waitUntil('an attempt to start', async () => (await events(run.id)).some((e) => e.type === 'TaskAssigned'));
    await rig.proxy.cut();
    const cutAt = Date.now();
    // The gate's answer is cached for a second; after that no attempt may start until the engine is back.
    await new Promise((r) => setTimeout(r, 4_000));
    const quietFrom = new Date(cutAt + 1_500);
    const duringOutage = (await events(run.id)).filter((e) => e.occurredAt >= quietFrom);
    assert.deepEqual(duringOutage.filter((e) => e.type === 'TaskAssigned' || e.type === 'TaskSucceeded').map((e) => e.type), [], 'nothing started or finished while the engine was away');
    const mid = await rig.orchestrator.runs.get(run.id);
    assert.equal(mid.status, 'running');
    assert.ok(mid.tasks.every((t) => t.status !== 'succeeded' && t.status !== 'dead_letter'), JSON.stringify(mid.tasks.map((t) => [t.key, t.status])));
    const lost = (await events(run.id)).filter((e) => e.type === 'TaskFailed').map((e) => (e.payload as { reason: string; retryable: boolean }));
    assert.ok(lost.length >= 1, 'the attempts running when the engine went away failed');
    assert.ok(lost.every((f) => f.retryable && /unavailable|unreachable|engine|lost/i.test(f.reason)), JSON.stringify(lost));

    await rig.proxy.restore();
    const done = await rig.waitForRun(run.id, ['succeeded', 'failed', 'partial']);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.tasks.map((t) => [t.key, t.status, t.attempt, t.lastError])));
    assert.equal(rig.git(repo, 'ls-tree', '--name-only', `aura/run-${run.id}:out`), 'four.txt\none.txt\nthree.txt\ntwo.txt');
  });
});
