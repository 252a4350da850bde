// Done-when (issue 17): PostgreSQL restarted mid-run (a private server of the suite's own) is survived by the
// running `aura serve` without a restart: work is back within 30 s at ≥ 95% of its throughput; and a worker
// container killed from outside fails its attempt, which is retried and recorded.
import assert from 'node:assert/strict';
import { createPgDatabase, type TestDatabase } from '../support/stores';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres';
import { type ReliabilityRig, stagedPrd, startReliabilityRig } from './support/reliability-rig';
import { sleep, until } from './support/until';

/**
 * Tasks finished per second over the stages after `from` up to `to`, from the median of their durations (a stage
 * lasts from the previous stage's last finish to its own). Each stage holds the same work, and the median keeps one
 * stage slowed by a container start on this shared machine from deciding the comparison.
 */
function stageRate(stageEnds: number[], from: number, to: number): number {
  const durations = Array.from({ length: to - from }, (_, i) => stageEnds[from + i + 1]! - stageEnds[from + i]!).sort((a, b) => a - b);
  const mid = durations.length / 2;
  const median = durations.length % 2 ? durations[Math.floor(mid)]! : (durations[mid - 1]! + durations[mid]!) / 2;
  return 5 / (median / 1000);
}

describe('outages: PostgreSQL restarted mid-run', function () {
  this.timeout(600_000);
  let pg: PrivatePostgres;
  let rig: ReliabilityRig;

  before(async function () {
    this.timeout(300_000);
    pg = await startPrivatePostgres();
    rig = await startReliabilityRig(pg.url);
  });
  after(async () => {
    await rig?.close();
    pg?.stop();
  });

  it('keeps the server running and is back within 30 s at 95% of the throughput it had', async () => {
    const serve = await rig.serve('pg-restart');
    const run = await rig.orchestrator.runs.submit({ prd: stagedPrd(10), workspace: rig.repo }, 'director');
    const { store } = rig.core;
    const finishes = async () =>
      (
        await store.query<{ at: Date; key: string }>(
          `SELECT e.occurred_at AS at, t.key FROM aura.events e JOIN aura.tasks t ON t.id = e.task_id WHERE e.stream = $1 AND e.type = 'TaskSucceeded' ORDER BY e.occurred_at`,
          [run.id],
        )
      ).rows.map((r) => ({ at: new Date(r.at).getTime(), stage: Number(/^s(\d+)t/.exec(r.key)![1]) }));
    // Five of the ten stages run before the restart, the other five after it: four whole stages (20 tasks) each
    // side are compared.
    await until('five stages done', 300_000, async () => ((await finishes()).length >= 25 ? true : null));
    const restartedAt = Date.now();
    pg.restart();
    const backAt = Date.now();
    const done = await until('the run to finish', 300_000, async () => {
      const r = await rig.orchestrator.runs.get(run.id).catch(() => null);
      return r && ['succeeded', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : null;
    });
    assert.equal(done.status, 'succeeded', JSON.stringify(done.tasks.filter((t) => t.status !== 'succeeded').map((t) => [t.key, t.status, t.lastError])));
    assert.equal(serve.pid > 0 && (await Promise.race([serve.exited.then(() => 'exited'), sleep(10).then(() => 'running')])), 'running', 'aura serve died with the database');
    const all = await finishes();
    const stageEnds: number[] = [];
    for (const f of all) stageEnds[f.stage] = Math.max(stageEnds[f.stage] ?? 0, f.at);
    const recoveryMs = all.find((f) => f.at > backAt)!.at - restartedAt;
    // Before: stages 2 to 5 (from the end of stage 1). After: stages 7 to 10 (from the end of stage 6, the first
    // stage run wholly after the restart), so the recovery gap itself is not counted against the throughput.
    const before = stageRate(stageEnds, 1, 5);
    const after = stageRate(stageEnds, 6, 10);
    const ratio = after / before;
    process.stdout.write(`      PostgreSQL restart took ${backAt - restartedAt} ms; first task done ${recoveryMs} ms after it; throughput ${before.toFixed(2)}/s before, ${after.toFixed(2)}/s after (${(ratio * 100).toFixed(0)}%); stage ends ${stageEnds.slice(1).map((t) => t - stageEnds[1]!).join(', ')} ms\n`);
    assert.ok(recoveryMs <= 30_000, `work was back ${recoveryMs} ms after the restart`);
    assert.ok(ratio >= 0.95, `throughput after the restart is ${(ratio * 100).toFixed(0)}% of what it was`);
    const succeeded = await store.query<{ n: number; tasks: number }>(`SELECT count(*)::int AS n, count(DISTINCT task_id)::int AS tasks FROM aura.events WHERE stream = $1 AND type = 'TaskSucceeded'`, [run.id]);
    assert.deepEqual(succeeded.rows[0], { n: 50, tasks: 50 });
  });
});

describe('outages: a worker container killed from outside', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  let rig: ReliabilityRig;

  before(async function () {
    this.timeout(300_000);
    db = await createPgDatabase();
    rig = await startReliabilityRig(db.url);
  });
  after(async () => {
    await rig?.close();
    await db?.drop();
  });

  it('fails that attempt naming the kill, retries the task and records both', async () => {
    await rig.serve('container-kill');
    const run = await rig.orchestrator.runs.submit({ prd: stagedPrd(1, 1), workspace: rig.repo }, 'director');
    const victim = await until('the agent\'s container', 60_000, async () =>
      (await rig.runtime.listByLabels({ 'aura.run': run.id, 'aura.attempt': '1' })).find((c) => c.running && !c.labels['aura.role']),
    );
    assert.ok(victim.labels['aura.manager'], 'the container names its Manager');
    await rig.runtime.engine.docker.getContainer(victim.id).kill();
    const done = await until('the run to finish', 120_000, async () => {
      const r = await rig.orchestrator.runs.get(run.id);
      return ['succeeded', 'partial', 'failed'].includes(r.status) ? r : null;
    });
    assert.equal(done.status, 'succeeded');
    const events = await rig.core.store.query<{ type: string; payload: { attempt?: number; reason?: string } }>(
      `SELECT type, payload FROM aura.events WHERE stream = $1 AND type IN ('TaskFailed', 'TaskRetrying', 'TaskSucceeded') ORDER BY seq`,
      [run.id],
    );
    assert.deepEqual(events.rows.map((e) => [e.type, e.payload.attempt]), [['TaskFailed', 1], ['TaskRetrying', 1], ['TaskSucceeded', 2]]);
    assert.match(events.rows[0]!.payload.reason ?? '', /killed from outside/);
  });
});
