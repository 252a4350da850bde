// Faults end as recorded failures with a reason, retried by the rules, never blocking other tasks:
// an always-failing task dead-letters after exactly max attempts on the backoff schedule (manual clock);
// employees that throw, hang past their timeout, or return garbage; malformed PRDs and ids.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import type { StoredEvent } from '../../../core/events/stored-event';
import { behaviours, createManualClock } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { startManager, waitFor, waitForRun } from './manager-harness';

describeStores('Manager faults', (ctx) => {
  it('dead-letters an always-failing task after exactly max attempts, waiting 2 s, 4 s, 8 s between them', async function () {
    this.timeout(30_000);
    const clock = createManualClock();
    const h = await startManager(ctx.store, { clock, behaviour: () => behaviours.fail('tests are red'), options: { sweepMs: 60_000, leaseMs: 60_000 } });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## Work\n- `flaky`: Make the tests pass (attempts: 4)\n' }, 'director');
      const taskId = run.tasks[0]!.id;
      const events = (type: string) => h.orchestrator.events.query({ taskId, limit: 100 }).then((all) => all.filter((e) => e.type === type));
      for (const [attempt, delay] of [[1, 2_000], [2, 4_000], [3, 8_000]] as const) {
        await waitFor(ctx.store, async () => (await events('TaskRetrying')).length === attempt, 10_000, `retry after attempt ${attempt}`);
        await clock.advance(delay - 1);
        await h.orchestrator.scheduler.sweep();
        assert.equal((await h.orchestrator.tasks.get(taskId)).status, 'retry_wait', `attempt ${attempt + 1} came early`);
        await clock.advance(1);
        await h.orchestrator.scheduler.sweep();
      }
      await waitFor(ctx.store, async () => (await events('TaskDeadLettered')).length === 1, 10_000, 'dead letter');
      const retrying = (await events('TaskRetrying')) as StoredEvent<'TaskRetrying'>[];
      assert.deepEqual(retrying.map((e) => e.payload.delayMs), [2_000, 4_000, 8_000]);
      const failed = (await events('TaskFailed')) as StoredEvent<'TaskFailed'>[];
      const assigned = (await events('TaskAssigned')) as StoredEvent<'TaskAssigned'>[];
      assert.deepEqual(assigned.map((e) => e.payload.attempt), [1, 2, 3, 4]);
      assert.deepEqual(failed.map((e) => e.payload.reason), Array(4).fill('tests are red'));
      // The next attempt starts exactly when its wait ends: the clock only moved by the schedule.
      assert.deepEqual([1, 2, 3].map((i) => assigned[i]!.occurredAt.getTime() - failed[i - 1]!.occurredAt.getTime()), [2_000, 4_000, 8_000]);
      const dead = (await events('TaskDeadLettered')) as StoredEvent<'TaskDeadLettered'>[];
      assert.equal(dead[0]!.payload.attempts, 4);
      assert.equal(h.workforce.calls.length, 4);
      assert.deepEqual((await h.orchestrator.tasks.deadLetters()).filter((t) => t.runId === run.id).map((t) => t.id), [taskId]);
      assert.equal((await h.orchestrator.runs.get(run.id)).status, 'partial');
    } finally {
      await h.stop();
    }
  });

  it('records a throw, a hang past the timeout and a garbage result as failures, retries them, and lets other tasks run', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, {
      behaviour: (a) => {
        if (a.attempt > 1 || a.task.id === 'fine') return behaviours.succeed();
        if (a.task.id === 'thrower') return behaviours.throws('segfault in the model');
        if (a.task.id === 'hanger') return behaviours.hangs(true);
        return behaviours.garbage({ status: 'maybe', summary: 42, telemetry: { costUsd: 0.5 } });
      },
      options: { backoffMs: [20] },
    });
    try {
      const prd = '## Work\n- `thrower`: Throws first\n- `hanger`: Hangs first (timeout: 1s)\n- `garbage`: Answers garbage first\n- `fine`: Just works\n';
      const run = await h.orchestrator.runs.submit({ prd }, 'director');
      const done = await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded', 'partial'], 20_000);
      assert.equal(done.status, 'succeeded');
      const failures = (await h.orchestrator.events.query({ runId: run.id, types: ['TaskFailed'], limit: 100 })) as StoredEvent<'TaskFailed'>[];
      const reason = (key: string) => failures.find((f) => f.taskId === done.tasks.find((t) => t.key === key)!.id)?.payload.reason;
      assert.equal(reason('thrower'), 'the employee failed: segfault in the model');
      assert.equal(reason('hanger'), 'timed out after 1000 ms');
      assert.match(reason('garbage')!, /^the employee returned an invalid result: status: .*summary: /);
      assert.equal(reason('fine'), undefined);
      const hanger = done.tasks.find((t) => t.key === 'hanger')!;
      assert.ok(h.workforce.cancelled.includes(hanger.id), 'the hung employee was told to stop');
      const finished = (key: string) => h.workforce.calls.filter((c) => c.key === key).map((c) => c.endedAt ?? Infinity);
      assert.ok(Math.max(...finished('fine')) < Math.min(...h.workforce.calls.filter((c) => c.key === 'hanger' && c.attempt === 2).map((c) => c.startedAt)), 'the hang blocked another task');
      assert.equal(done.tasks.find((t) => t.key === 'garbage')!.costUsd > 0.5, true, 'the cost reported with garbage still counts');
      const retried = done.tasks.filter((t) => t.key !== 'fine');
      assert.ok(retried.every((t) => t.attempt === 2));
      assert.ok(retried.every((t) => t.triedEmployees.length === 1 && t.employeeId !== t.triedEmployees[0]), 'the retry went to the other employee');
    } finally {
      await h.stop();
    }
  });

  it('refuses a malformed PRD or plan with every problem named, recording nothing', async () => {
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed(), start: false });
    const before = (await h.orchestrator.runs.list({ limit: 200 })).length;
    await assert.rejects(h.orchestrator.runs.submit({ prd: '   ' }, 'director'), (e: unknown) => AuraError.is(e, 'invalid_input') && /prd: the PRD is empty/.test(e.message));
    await assert.rejects(h.orchestrator.runs.submit({ prd: 42 } as never, 'director'), (e: unknown) => AuraError.is(e, 'invalid_input') && /prd/.test(e.message));
    await assert.rejects(h.orchestrator.runs.submit({ prd: 'x'.repeat(10_000_001) }, 'director'), (e: unknown) => AuraError.is(e, 'invalid_input') && /10,000,000/.test(e.message));
    await assert.rejects(h.orchestrator.runs.submit({ prd: '# t\n- a', budgetUsd: -1 }, 'director'), (e: unknown) => AuraError.is(e, 'invalid_input') && /budgetUsd/.test(e.message));
    await assert.rejects(
      h.orchestrator.runs.submit({ prd: '## W\n- `a`: A (after `b`)\n- `b`: B (after `a`)\n- `c`: C (after `zz`)\n' }, 'director'),
      (e: unknown) => AuraError.is(e, 'invalid_input') && /cycle: a → b → a/.test(e.message) && /"zz"|`zz`/.test(e.message),
    );
    assert.equal((await h.orchestrator.runs.list({ limit: 200 })).length, before);
    await assert.rejects(h.orchestrator.runs.get('nonsense'), (e: unknown) => AuraError.is(e, 'invalid_input'));
    await assert.rejects(h.orchestrator.runs.get('run_doesnotexist'), (e: unknown) => AuraError.is(e, 'not_found'));
    await assert.rejects(h.orchestrator.tasks.retry('task_nope', {}, 'director'), (e: unknown) => AuraError.is(e, 'not_found'));
    await assert.rejects(h.orchestrator.events.query({ types: ['NotAnEvent'] } as never), (e: unknown) => AuraError.is(e, 'invalid_input'));
  });
});
