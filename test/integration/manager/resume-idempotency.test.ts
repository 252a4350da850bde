// Resuming without paying again: an attempt taken over by another Manager keeps its idempotency key, so an
// effect it already applied is recognised and not applied twice, and a result already stored is reused.
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../../core/events/stored-event';
import { type Governance, openGovernance } from '../../../core/manager/governance-port';
import { behaviours, type Behaviour } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { type Harness, startManager, waitFor, waitForRun } from './manager-harness';

describeStores('Resuming attempts', (ctx) => {
  before(async () => {
    await ctx.store.exec('CREATE TABLE public.test_effects (task_id text NOT NULL, key text NOT NULL, by_manager text NOT NULL)');
  });

  /** Applies the task's one effect under its idempotency key, then does `then`. */
  const effect = (h: () => Harness, manager: string, then: Behaviour): Behaviour => async (a, context) => {
    await h().orchestrator.idempotency.applyOnce({ key: a.idempotencyKey, effect: 'write-file', runId: a.runId, taskId: a.taskId, attempt: a.attempt }, (tx) =>
      tx.query('INSERT INTO public.test_effects (task_id, key, by_manager) VALUES ($1, $2, $3)', [a.taskId, a.idempotencyKey, manager]),
    );
    return then(a, context);
  };

  it('applies an effect once when a stopped Manager\'s attempt is resumed by another', async function () {
    this.timeout(30_000);
    let first!: Harness;
    first = await startManager(ctx.store, { behaviour: () => effect(() => first, 'first', behaviours.hangs(true)), employees: ['res-a'] });
    const run = await first.orchestrator.runs.submit({ prd: '## W\n- `write`: Write the file\n' }, 'director');
    await waitFor(ctx.store, async () => (await ctx.store.query('SELECT 1 FROM public.test_effects')).rowCount === 1, 10_000, 'the first effect');
    await first.stop();
    let second!: Harness;
    second = await startManager(ctx.store, { behaviour: () => effect(() => second, 'second', behaviours.succeed()), hire: false });
    try {
      const done = await waitForRun(ctx.store, second.orchestrator, run.id, ['succeeded']);
      const task = done.tasks[0]!;
      assert.equal(task.attempt, 1, 'the resumed attempt kept its number');
      const effects = await ctx.store.query<{ by_manager: string }>('SELECT by_manager FROM public.test_effects WHERE task_id = $1', [task.id]);
      assert.deepEqual(effects.rows.map((r) => r.by_manager), ['first']);
      const records = await second.orchestrator.idempotency.list({ taskId: task.id });
      const write = records.find((r) => r.effect === 'write-file')!;
      assert.equal(write.key, `${run.id}_${task.id}_1`);
      assert.equal(write.duplicates, 1, 'the second application was recognised and refused');
      assert.equal(records.find((r) => r.effect === 'outcome')!.duplicates, 0);
      const assigned = (await second.orchestrator.events.query({ taskId: task.id, types: ['TaskAssigned'], limit: 10 })) as StoredEvent<'TaskAssigned'>[];
      assert.deepEqual(assigned.map((e) => [e.payload.attempt, e.payload.resumed, e.payload.idempotencyKey]), [[1, false, write.key], [1, true, write.key]]);
    } finally {
      await second.stop();
    }
  });

  it('stores the employee\'s result before verification begins', async function () {
    this.timeout(30_000);
    let storedAtVerify: unknown = 'not verified';
    let h!: Awaited<ReturnType<typeof startManager>>;
    const checking: Governance = {
      ...openGovernance,
      verify: async (a, r) => {
        storedAtVerify = (await h.orchestrator.idempotency.get(a.idempotencyKey, 'result'))?.result ?? null;
        return openGovernance.verify(a, r);
      },
    };
    h = await startManager(ctx.store, { behaviour: () => behaviours.succeed('made'), governance: checking, employees: ['res-c'] });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `make`: Make it\n' }, 'director');
      assert.equal((await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded', 'partial'])).status, 'succeeded');
      assert.equal((storedAtVerify as { summary?: string } | null)?.summary, 'made: make');
    } finally {
      await h.stop();
    }
  });

  it('reuses a stored result instead of running the employee again', async function () {
    this.timeout(30_000);
    // The first Manager stops while verifying: the employee's result is stored, the outcome is not.
    const stuck: Governance = { ...openGovernance, verify: () => new Promise(() => undefined) };
    const first = await startManager(ctx.store, { behaviour: () => behaviours.succeed('built', 0.25), governance: stuck, employees: ['res-b'] });
    const run = await first.orchestrator.runs.submit({ prd: '## W\n- `build`: Build it\n' }, 'director');
    const taskId = run.tasks[0]!.id;
    await waitFor(ctx.store, async () => first.orchestrator.idempotency.get(`${run.id}_${taskId}_1`, 'result'), 10_000, 'the stored result');
    await first.stop();
    const resumedAs: unknown[] = [];
    const watching: Governance = { ...openGovernance, verify: async (a, r) => (resumedAs.push(a.resumed), openGovernance.verify(a, r)) };
    const second = await startManager(ctx.store, { behaviour: () => behaviours.fail('must not be called'), governance: watching, hire: false });
    try {
      const done = await waitForRun(ctx.store, second.orchestrator, run.id, ['succeeded', 'partial']);
      assert.equal(done.status, 'succeeded');
      assert.equal(second.workforce.calls.length, 0, 'the employee was paid twice');
      assert.deepEqual(resumedAs, [{ from: 'stored-result' }], 'verification is told the attempt resumed from its stored result');
      assert.equal(done.tasks[0]!.result?.summary, 'built: build');
      assert.equal(done.costUsd, 0.25);
    } finally {
      await second.stop();
    }
  });
});
