// Transitions written with their events in one statement (migrations/150-queue-speed.sql): only as predicted, from the
// chain head the process knows; anything else does nothing and leaves the work to the transaction path.
import assert from 'node:assert/strict';
import { createAuditSigner } from '../../../core/events/chain';
import { verifyChain } from '../../../core/events/verify-chain';
import { createOrchestrator } from '../../../core/orchestrator';
import { claimAndAppend, type ClaimInput } from '../../../core/queue/claim-tasks';
import { completeAndAppend, completeAttempts } from '../../../core/queue/complete-attempts';
import { peekReadyTasks } from '../../../core/queue/peek-ready-tasks';
import { TEST_AUDIT_KEY, testEventLog } from '../../support/events';
import { behaviours, createInProcessWorkforce, hireInProcess, testCore } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';

describeStores('One-statement transitions', (ctx) => {
  let hired = 0;
  const setup = async (prd: string) => {
    const core = testCore(ctx.store);
    const orch = createOrchestrator({ core, workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
    const [emp] = await hireInProcess(orch.employees, [`fast-${++hired}`], { maxConcurrent: 8 });
    // Submitting appends the run's first events through core.events: this process now knows the run's chain head.
    const run = await orch.runs.submit({ prd }, 'director');
    const ready = (await peekReadyTasks(ctx.store, { limit: 50 })).candidates.filter((c) => c.runId === run.id);
    const input = (cap: number, candidates = ready): ClaimInput => ({
      owner: 'fast-owner',
      now: new Date(),
      leaseMs: 60_000,
      cap,
      requests: candidates.map((c) => ({ taskId: c.id, employeeId: emp!.id, employeeLimit: 8 })),
      actor: 'test',
    });
    const predictions = (candidates = ready) => candidates.map((c) => ({ runId: c.runId, attempt: c.nextAttempt, resumed: c.resumes }));
    const statuses = async () => (await ctx.store.query<{ status: string }>('SELECT status FROM aura.tasks WHERE run_id = $1 ORDER BY seq', [run.id])).rows.map((r) => r.status);
    const assigned = async () => (await core.events.query({ runId: run.id, types: ['TaskAssigned'] })).length;
    return { core, orch, run, ready, input, predictions, statuses, assigned };
  };

  it('claims in one statement only as predicted; a wrong attempt, a full cap or a moved head claim nothing', async () => {
    const t = await setup('## W\n- `a`: A\n- `b`: B\n');
    assert.equal(t.ready.length, 2);
    const wrong = t.predictions().map((p) => ({ ...p, attempt: p.attempt + 1 }));
    assert.equal(await claimAndAppend(ctx.store, t.core.events, t.input(10), wrong), null);
    assert.equal(await claimAndAppend(ctx.store, t.core.events, t.input(1), t.predictions()), null, 'the cap lets only one of two be claimed');
    assert.deepEqual(await t.statuses(), ['ready', 'ready']);
    assert.equal(await t.assigned(), 0);
    // Another writer moves the run's head: the events chained from the old one are refused, nothing is claimed.
    await testEventLog(ctx.store).append({ type: 'RunPaused', runId: t.run.id, actor: 'other', payload: { reason: 'moves the head' } });
    assert.equal(await claimAndAppend(ctx.store, t.core.events, t.input(10), t.predictions()), null);
    assert.deepEqual(await t.statuses(), ['ready', 'ready']);
    // The long way learns the head again (here: an append through this log); then the prediction holds.
    await t.core.events.append({ type: 'RunResumed', runId: t.run.id, actor: 'test', payload: {} });
    const claimed = await claimAndAppend(ctx.store, t.core.events, t.input(10), t.predictions());
    assert.deepEqual(claimed?.map((c) => [c.key, c.attempt, c.resumed, c.employeeId]), t.ready.map((c) => [c.key, 1, false, t.input(10).requests[0]!.employeeId]));
    assert.deepEqual(await t.statuses(), ['running', 'running']);
    assert.equal(await t.assigned(), 2);
    const report = await verifyChain(ctx.store, createAuditSigner(TEST_AUDIT_KEY), { stream: t.run.id });
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    await t.orch.runs.cancel(t.run.id, 'done testing', 'director');
  });

  it('records outcomes in one statement unless they release dependents or settle the run, which the transaction then does', async () => {
    const t = await setup('## W\n- `a`: A\n- `b`: B (after `a`)\n');
    assert.equal(t.ready.length, 1);
    const [claimed] = (await claimAndAppend(ctx.store, t.core.events, t.input(10), t.predictions()))!;
    const outcome = {
      taskId: claimed!.id,
      runId: claimed!.runId,
      owner: 'fast-owner',
      attempt: claimed!.attempt,
      attemptFloor: claimed!.attemptFloor,
      maxAttempts: claimed!.maxAttempts,
      employeeId: claimed!.employeeId,
      idempotencyKey: claimed!.idempotencyKey,
      result: { kind: 'succeeded' as const, summary: 'done', costUsd: 0 },
    };
    const input = { outcomes: [outcome], now: new Date(), backoffMs: [1_000], actor: 'test' };
    const noClaims = { input: { ...t.input(10, []), requests: [] }, predictions: [] };
    assert.equal(await completeAndAppend(ctx.store, t.core.events, input, noClaims), 'releases', '`b` waits on `a`');
    assert.deepEqual(await t.statuses(), ['running', 'pending'], 'nothing was applied');
    const report = await ctx.store.transaction(async (tx) => {
      const r = await completeAttempts(tx, input);
      await t.core.events.appendIn(tx, r.events);
      return r;
    });
    assert.deepEqual([...report.applied.values()], ['succeeded']);
    assert.deepEqual(report.released.map((r) => r.key), ['b']);
    assert.deepEqual(await t.statuses(), ['succeeded', 'ready']);
    const types = (await t.core.events.query({ runId: t.run.id })).map((e) => e.type);
    assert.deepEqual(types.slice(-3), ['TaskAssigned', 'TaskSucceeded', 'TaskReady']);
    await t.orch.runs.cancel(t.run.id, 'done testing', 'director');
  });

  it('records an outcome and the claim riding along in one statement when both go as predicted', async () => {
    const t = await setup('## W\n- `a`: A\n- `b`: B\n- `c`: C\n');
    const [first] = (await claimAndAppend(ctx.store, t.core.events, t.input(10, t.ready.slice(0, 1)), t.predictions(t.ready.slice(0, 1))))!;
    const rest = t.ready.slice(1);
    const input = {
      outcomes: [{ taskId: first!.id, runId: first!.runId, owner: 'fast-owner', attempt: 1, attemptFloor: 0, maxAttempts: first!.maxAttempts, employeeId: first!.employeeId, idempotencyKey: first!.idempotencyKey, result: { kind: 'failed' as const, reason: 'flaky', retryable: true, costUsd: 0 } }],
      now: new Date(),
      backoffMs: [60_000],
      actor: 'test',
    };
    const done = await completeAndAppend(ctx.store, t.core.events, input, { input: t.input(10, rest), predictions: t.predictions(rest) });
    assert.ok(done && done !== 'releases');
    assert.deepEqual([...done.report.applied.values()], ['retry_wait']);
    assert.deepEqual(done.claimed.map((c) => c.key), ['b', 'c']);
    assert.deepEqual(await t.statuses(), ['retry_wait', 'running', 'running']);
    const types = (await t.core.events.query({ runId: t.run.id })).map((e) => e.type);
    assert.deepEqual(types.slice(-4), ['TaskFailed', 'TaskRetrying', 'TaskAssigned', 'TaskAssigned']);
    const idem = await ctx.store.query<{ n: number }>("SELECT count(*)::int AS n FROM aura.idempotency WHERE key = $1 AND effect = 'outcome'", [first!.idempotencyKey]);
    assert.equal(idem.rows[0]!.n, 1, 'the outcome is recorded under its key');
    const report = await verifyChain(ctx.store, createAuditSigner(TEST_AUDIT_KEY), { stream: t.run.id });
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    await t.orch.runs.cancel(t.run.id, 'done testing', 'director');
  });
});
