// Claims (FOR UPDATE SKIP LOCKED, the cap and employee limits across Managers) and leader election by an
// advisory session lock, with takeover when the leader's session dies.
import assert from 'node:assert/strict';
import pg from 'pg';
import { createSilentLogger } from '../../../core/observability/logger';
import { systemClock } from '../../../core/domain/clock';
import { createOrchestrator } from '../../../core/orchestrator';
import { claimTasks } from '../../../core/queue/claim-tasks';
import { expireLeases } from '../../../core/queue/expire-leases';
import { createLeaderLock } from '../../../core/queue/leader-lock';
import { peekReadyTasks } from '../../../core/queue/peek-ready-tasks';
import { behaviours, createInProcessWorkforce, hireInProcess, testCore } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { startManager, waitFor, waitForRun } from '../manager/manager-harness';

describeStores('Queue claims and leadership', (ctx) => {
  it('never gives one task to two concurrent claimers', async function () {
    this.timeout(30_000);
    const core = testCore(ctx.store);
    const orch = createOrchestrator({ core, workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
    const [emp] = await hireInProcess(orch.employees, ['claimer'], { maxConcurrent: 16 });
    const run = await orch.runs.submit({ prd: ['## W', ...Array.from({ length: 20 }, (_, i) => `- \`c${i}\`: C${i}`)].join('\n') }, 'director');
    const ready = await peekReadyTasks(ctx.store, { limit: 50 });
    const requests = ready.candidates.filter((c) => c.runId === run.id).map((c) => ({ taskId: c.id, employeeId: emp!.id, employeeLimit: 16 }));
    assert.equal(requests.length, 20);
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        ctx.store.transaction(async (tx) => {
          const { claimed, events } = await claimTasks(tx, { owner: `claimer-${i}`, now: new Date(), leaseMs: 60_000, cap: 100, requests, actor: 'test' });
          await core.events.appendIn(tx, events);
          return claimed;
        }),
      ),
    );
    const all = claims.flat().map((c) => c.id);
    assert.equal(all.length, 16, 'the employee limit of 16 held');
    assert.equal(new Set(all).size, all.length, 'a task was claimed twice');
    await orch.runs.cancel(run.id, 'done testing', 'director');
  });

  it('resumes an attempt whose lease expired with the same key, and counts it failed after too many expiries', async function () {
    this.timeout(30_000);
    const core = testCore(ctx.store);
    const orch = createOrchestrator({ core, workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
    const [emp] = await hireInProcess(orch.employees, ['ghostly'], { maxConcurrent: 4 });
    const run = await orch.runs.submit({ prd: '## W\n- `doomed`: Kills its Manager\n' }, 'director');
    const taskId = run.tasks[0]!.id;
    let now = new Date('2031-01-01T00:00:00Z');
    const claimAsGhost = () =>
      ctx.store.transaction(async (tx) => {
        const { claimed, events } = await claimTasks(tx, { owner: 'ghost', now, leaseMs: 1_000, cap: 10, requests: [{ taskId, employeeId: emp!.id, employeeLimit: 4 }], actor: 'test' });
        await core.events.appendIn(tx, events);
        return claimed[0]!;
      });
    const keys: string[] = [];
    for (let expiry = 1; expiry <= 3; expiry++) {
      const claimed = await claimAsGhost();
      keys.push(claimed.idempotencyKey);
      assert.equal(claimed.attempt, 1);
      assert.equal(claimed.resumed, expiry > 1);
      now = new Date(now.getTime() + 1_001);
      assert.deepEqual(await expireLeases(ctx.store, core.events, { now, maxLeaseExpiries: 3, backoffMs: [2_000], limit: 10, actor: 'test' }), { resumed: 1, failed: 0 });
      assert.equal((await orch.tasks.get(taskId)).status, 'ready');
    }
    assert.equal(new Set(keys).size, 1, 'a resumed attempt keeps its idempotency key');
    await claimAsGhost();
    now = new Date(now.getTime() + 1_001);
    assert.deepEqual(await expireLeases(ctx.store, core.events, { now, maxLeaseExpiries: 3, backoffMs: [2_000], limit: 10, actor: 'test' }), { resumed: 0, failed: 1 });
    const task = await orch.tasks.get(taskId);
    assert.deepEqual([task.status, task.attempt, task.lastError], ['retry_wait', 1, 'its lease expired 4 times: the Manager running it stopped each time']);
    const types = (await orch.events.query({ taskId, limit: 100 })).map((e) => e.type);
    assert.deepEqual(types.slice(-3), ['TaskLeaseExpired', 'TaskFailed', 'TaskRetrying']);
    await orch.runs.cancel(run.id, 'done testing', 'director');
  });

  it('lets the one process of a database lead', async () => {
    const only = createLeaderLock({ store: ctx.store, logger: createSilentLogger(), clock: systemClock, key: 99 });
    assert.equal(await only.check(), true);
    assert.equal(await only.check(), true, 'and keep leading');
    await only.release();
    assert.equal(only.isLeader(), false);
  });
});

describeStores(
  'Queue across Manager processes',
  (ctx) => {
    it('holds the cap of running tasks across two Manager processes sharing the database', async function () {
      this.timeout(40_000);
      const second = await ctx.db.open();
      const a = await startManager(ctx.store, { behaviour: () => behaviours.after(60, behaviours.succeed()), options: { concurrency: 2 }, maxConcurrent: 8 });
      const b = await startManager(second, { behaviour: () => behaviours.after(60, behaviours.succeed()), options: { concurrency: 2 }, hire: false });
      try {
        const run = await a.orchestrator.runs.submit({ prd: ['## W', ...Array.from({ length: 16 }, (_, i) => `- \`p${i}\`: P${i}`)].join('\n') }, 'director');
        await waitForRun(ctx.store, a.orchestrator, run.id, ['succeeded'], 30_000);
        const calls = [...a.workforce.calls, ...b.workforce.calls].sort((x, y) => x.startedAt - y.startedAt);
        assert.equal(calls.length, 16);
        const events = await a.orchestrator.events.query({ runId: run.id, types: ['TaskAssigned', 'TaskSucceeded'], limit: 100 });
        let alive = 0;
        let most = 0;
        for (const e of events) most = Math.max(most, (alive += e.type === 'TaskAssigned' ? 1 : -1));
        assert.ok(most <= 2, `${most} tasks ran at once with a cap of 2`);
      } finally {
        await a.stop();
        await b.stop();
        await second.close();
      }
    });

    it('elects one leader; another takes over when its session is killed or it steps down', async function () {
      this.timeout(30_000);
      const logger = createSilentLogger();
      const stores = [await ctx.db.open(), await ctx.db.open()];
      const locks = stores.map((store) => createLeaderLock({ store, logger, clock: systemClock, key: 4242 }));
      try {
        const first = await Promise.all(locks.map((l) => l.check()));
        assert.deepEqual(first.filter(Boolean).length, 1, 'exactly one leader');
        const leader = locks[first.indexOf(true)]!;
        const other = locks[first.indexOf(false)]!;
        assert.equal(await other.check(), false);
        const admin = new pg.Client({ connectionString: ctx.db.url });
        await admin.connect();
        const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted`);
        await admin.end();
        assert.equal(killed.rowCount, 1);
        await waitFor(ctx.store, async () => !leader.isLeader() || (await leader.check()) === false, 10_000, 'the old leader to notice');
        assert.equal(await other.check(), true, 'the other took over');
        assert.equal(await leader.check(), false);
        await other.release();
        assert.equal(await leader.check(), true, 'leadership came back on a new session');
      } finally {
        for (const l of locks) await l.release();
        for (const s of stores) await s.close();
      }
    });
  },
  { only: 'postgres' },
);
