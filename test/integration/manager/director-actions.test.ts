// The Director's controls over runs and tasks: pause, resume, cancel; retry (with edits) and skip of dead
// letters, partial success; approval tasks and approvals governance asks for; plan approval and refusal.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { type Governance, openGovernance } from '../../../core/manager/governance-port';
import { behaviours } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { startManager, waitFor, waitForRun } from './manager-harness';

describeStores('Director actions', (ctx) => {
  it('pauses a run (nothing new starts), resumes it to completion', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed(), start: false });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `a`: A\n- `b`: B (after `a`)\n' }, 'director');
      const paused = await h.orchestrator.runs.pause(run.id, 'lunch', 'director');
      assert.equal(paused.status, 'paused');
      assert.equal(paused.statusReason, 'lunch');
      await h.orchestrator.start();
      // Proving an absence needs a little time: the scheduler polls every 250 ms and has had several chances.
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(h.workforce.calls.length, 0);
      await h.orchestrator.runs.resume(run.id, undefined, 'director');
      assert.equal((await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded'])).progress.succeeded, 2);
      await assert.rejects(h.orchestrator.runs.pause(run.id, 'too late', 'director'), (e: unknown) => AuraError.is(e, 'conflict'));
    } finally {
      await h.stop();
    }
  });

  it('cancels a run: running work is stopped, everything left is cancelled', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, { behaviour: () => behaviours.hangs() });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `a`: A\n- `b`: B (after `a`)\n' }, 'director');
      await waitFor(ctx.store, async () => h.workforce.calls.length === 1, 10_000, 'the first attempt');
      const cancelled = await h.orchestrator.runs.cancel(run.id, 'wrong PRD', 'director');
      assert.equal(cancelled.status, 'cancelled');
      assert.deepEqual(cancelled.tasks.map((t) => t.status), ['cancelled', 'cancelled']);
      await waitFor(ctx.store, async () => h.workforce.cancelled.includes(run.tasks[0]!.id), 10_000, 'the employee to be stopped');
      await waitFor(ctx.store, async () => h.orchestrator.scheduler.running() === 0, 10_000, 'the attempt to end');
      const types = (await h.orchestrator.events.query({ runId: run.id, limit: 100 })).map((e) => e.type);
      assert.deepEqual(types.slice(-3), ['TaskCancelled', 'TaskCancelled', 'RunCancelled']);
      assert.ok(!types.includes('TaskSucceeded') && !types.includes('TaskFailed'), 'the stopped attempt recorded an outcome');
    } finally {
      await h.stop();
    }
  });

  it('is blocked, not settled, while a dead letter holds back a waiting task; a retry with edits brings the branch back to success', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, { behaviour: (a) => (a.task.id !== 'bad' || a.task.description.includes('fixed') ? behaviours.succeed() : behaviours.fail('wrong approach')) });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `bad`: Bad (attempts: 1)\n- `dep`: Dep (after `bad`)\n- `other`: Other\n' }, 'director');
      const blocked = await waitForRun(ctx.store, h.orchestrator, run.id, ['blocked']);
      assert.deepEqual(blocked.tasks.map((t) => [t.key, t.status, t.blockedBy]), [['bad', 'dead_letter', []], ['dep', 'pending', ['bad']], ['other', 'succeeded', []]]);
      assert.equal(blocked.statusReason, '1 task(s) in the dead-letter queue hold back 1 waiting task(s): retry or skip them, or cancel the run');
      assert.equal(blocked.finishedAt, null);
      assert.deepEqual((await h.orchestrator.tasks.get(blocked.tasks[1]!.id)).blockedBy, ['bad']);
      const bad = blocked.tasks[0]!;
      await assert.rejects(h.orchestrator.tasks.retry(blocked.tasks[2]!.id, {}, 'director'), (e: unknown) => AuraError.is(e, 'conflict'));
      await assert.rejects(h.orchestrator.tasks.retry(bad.id, { edits: { kind: 'doc' } } as never, 'director'), (e: unknown) => AuraError.is(e, 'invalid_input'));
      const retried = await h.orchestrator.tasks.retry(bad.id, { edits: { description: 'fixed: use the other API' } }, 'director');
      assert.equal(retried.spec.description, 'fixed: use the other API');
      const done = await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded']);
      assert.deepEqual(done.tasks.map((t) => t.status), ['succeeded', 'succeeded', 'succeeded']);
      assert.equal(done.tasks[0]!.attempt, 2);
      const types = (await h.orchestrator.events.query({ runId: run.id, limit: 100 })).map((e) => e.type);
      assert.deepEqual(types.filter((t) => t.startsWith('Run')), ['RunStarted', 'RunBlocked', 'RunResumed', 'RunCompleted']);
    } finally {
      await h.stop();
    }
  });

  it('skips a dead letter so its dependents run; the run succeeds with the skip counted', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, { behaviour: (a) => (a.task.id === 'bad' ? behaviours.fail('no') : behaviours.succeed()) });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `bad`: Bad (attempts: 1)\n- `dep`: Dep (after `bad`)\n' }, 'director');
      const blocked = await waitForRun(ctx.store, h.orchestrator, run.id, ['blocked']);
      await h.orchestrator.tasks.skip(blocked.tasks[0]!.id, 'not needed after all', 'director');
      const done = await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded']);
      assert.deepEqual(done.tasks.map((t) => t.status), ['skipped', 'succeeded']);
      const completed = (await h.orchestrator.events.query({ runId: run.id, types: ['RunCompleted'], limit: 10 })).at(-1)!;
      assert.deepEqual(completed.payload, { outcome: 'succeeded', costUsd: done.costUsd, succeeded: 1, skipped: 1, deadLettered: 0 });
    } finally {
      await h.stop();
    }
  });

  it('ends partial, settled, when a dead letter holds nothing back', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, { behaviour: (a) => (a.task.id === 'leaf' ? behaviours.fail('no') : behaviours.succeed()) });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `base`: Base\n- `leaf`: Leaf (attempts: 1) (after `base`)\n- `other`: Other (after `base`)\n' }, 'director');
      const partial = await waitForRun(ctx.store, h.orchestrator, run.id, ['partial']);
      assert.deepEqual(partial.tasks.map((t) => [t.key, t.status]), [['base', 'succeeded'], ['leaf', 'dead_letter'], ['other', 'succeeded']]);
      assert.equal(partial.statusReason, '1 task(s) in the dead-letter queue');
      assert.notEqual(partial.finishedAt, null);
      const types = (await h.orchestrator.events.query({ runId: run.id, limit: 100 })).map((e) => e.type);
      assert.deepEqual(types.filter((t) => t.startsWith('Run')), ['RunStarted', 'RunCompleted']);
    } finally {
      await h.stop();
    }
  });

  it('holds an approval task for the Director; approving it lets the branch go on, rejecting it dead-letters it', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed() });
    try {
      const prd = '## W\n- `build`: Build\n- `approve`: Approve the release (after `build`)\n- `ship`: Ship (after `approve`)\n';
      const one = await h.orchestrator.runs.submit({ prd }, 'director');
      const waiting = await waitFor(ctx.store, async () => {
        const r = await h.orchestrator.runs.get(one.id);
        return r.pendingApprovals.length ? r : null;
      });
      assert.equal(waiting.tasks[1]!.status, 'awaiting_approval');
      assert.equal(waiting.pendingApprovals[0]!.taskId, waiting.tasks[1]!.id);
      const resolved = await h.orchestrator.tasks.resolveApproval(waiting.pendingApprovals[0]!.id, { approved: true, by: 'director:ana', note: 'looks good' });
      assert.deepEqual([resolved.status, resolved.taskStatus, resolved.decidedBy], ['approved', 'succeeded', 'director:ana']);
      await assert.rejects(h.orchestrator.tasks.resolveApproval(resolved.id, { approved: false, by: 'x', note: 'changed my mind' }), (e: unknown) => AuraError.is(e, 'conflict'));
      assert.equal((await waitForRun(ctx.store, h.orchestrator, one.id, ['succeeded'])).tasks[1]!.result?.summary, 'approved by director:ana: looks good');

      const two = await h.orchestrator.runs.submit({ prd }, 'director');
      const approveTask = await waitFor(ctx.store, async () => (await h.orchestrator.runs.get(two.id)).tasks.find((t) => t.status === 'awaiting_approval'));
      await assert.rejects(h.orchestrator.tasks.resolveApproval(approveTask.id, { approved: false, by: 'director' }), (e: unknown) => AuraError.is(e, 'invalid_input') && /note/.test(e.message));
      const rejected = await h.orchestrator.tasks.resolveApproval(approveTask.id, { approved: false, by: 'director', note: 'not this week' });
      assert.equal(rejected.taskStatus, 'dead_letter');
      const blocked = await waitForRun(ctx.store, h.orchestrator, two.id, ['blocked']);
      assert.equal(blocked.tasks[1]!.lastError, 'rejected by director: not this week');
      assert.deepEqual(blocked.tasks[2]!.blockedBy, ['approve']);
    } finally {
      await h.stop();
    }
  });

  it('asks governance before assigning: a held task waits for approval and is not asked again; a refused task is a dead letter', async function () {
    this.timeout(30_000);
    const asked: string[] = [];
    const governance: Governance = {
      ...openGovernance,
      beforeTask: async (task) => {
        asked.push(task.id);
        if (task.kind === 'command') return { action: 'require_approval', rule: 'commands-need-approval', reason: 'it runs a deploy' };
        if (task.id === 'forbidden') return { action: 'deny', rule: 'no-prod-data', reason: 'touches production data' };
        return { action: 'allow' };
      },
    };
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed(), governance });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `deploy`: Deploy to staging\n- `forbidden`: Copy prod data\n' }, 'director');
      const held = await waitFor(ctx.store, async () => (await h.orchestrator.tasks.get(run.tasks[0]!.id)).pendingApproval);
      assert.equal(held.rule, 'commands-need-approval');
      assert.equal(h.workforce.calls.length, 0);
      await h.orchestrator.tasks.resolveApproval(run.tasks[0]!.id, { approved: true, by: 'director' });
      const done = await waitForRun(ctx.store, h.orchestrator, run.id, ['partial']);
      assert.deepEqual(done.tasks.map((t) => t.status), ['succeeded', 'dead_letter']);
      assert.equal(done.tasks[1]!.lastError, 'refused by policy no-prod-data: touches production data');
      assert.deepEqual(h.workforce.calls.map((c) => c.key), ['deploy']);
      assert.equal(asked.filter((k) => k === 'deploy').length, 2, 'asked once before the hold and once after, where the approval stands');
    } finally {
      await h.stop();
    }
  });

  it('holds a plan governance wants approved, and records a refused plan as a failed run', async function () {
    this.timeout(30_000);
    const governance: Governance = {
      ...openGovernance,
      checkPlan: async (plan) =>
        plan.tasks.some((t) => t.id === 'drop-db') ? { action: 'deny', rule: 'no-drops', reason: 'drops a database' } : plan.tasks.length > 1 ? { action: 'require_approval', rule: 'big-plans', reason: 'more than one task' } : { action: 'allow' },
    };
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed(), governance });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `a`: A\n- `b`: B\n' }, 'director');
      assert.equal(run.status, 'awaiting_approval');
      assert.equal(run.pendingApprovals[0]!.subject, 'plan');
      await h.orchestrator.tasks.resolveApproval(run.pendingApprovals[0]!.id, { approved: true, by: 'director' });
      await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded']);
      let refusedId = '';
      await assert.rejects(h.orchestrator.runs.submit({ prd: '## W\n- `drop-db`: Drop the database\n' }, 'director'), (e: unknown) => {
        refusedId = String((e as AuraError).details?.runId);
        return AuraError.is(e, 'policy_denied') && /no-drops/.test(e.message);
      });
      const refused = await h.orchestrator.runs.get(refusedId);
      assert.deepEqual([refused.status, refused.statusReason, refused.tasks.length], ['failed', 'policy no-drops: drops a database', 0]);
    } finally {
      await h.stop();
    }
  });
});
