// Time travel: a run's state at any of its events, projected from the log, equals the rows at the last event and
// what the rows said when an earlier event was the last.
import assert from 'node:assert/strict';
import type { Orchestrator } from '../../../core/orchestrator';
import type { RunState } from '../../../core/runs/run-state-at';
import type { Store } from '../../../core/store/store';
import { startManager, waitFor, waitForRun } from '../manager/manager-harness';
import { behaviours } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';

const prd = '## W\n- `a`: A\n- `flaky`: F (after `a`)\n- `gate`: Approve the release (kind: approval) (after `flaky`)\n- `ship`: S (after `gate`)\n';
const cents = (n: number) => Math.round(n * 1e9) / 1e9;

/** What the rows say now, in the shape of a projected state (the parts both hold). */
async function rowsNow(store: Store, orchestrator: Orchestrator, runId: string) {
  const run = await orchestrator.runs.get(runId);
  const head = (await store.query<{ seq: number }>('SELECT seq FROM aura.event_heads WHERE stream = $1', [runId])).rows[0]!;
  return {
    seq: Number(head.seq),
    view: {
      status: run.status,
      planVersion: run.planVersion,
      planHash: run.planHash,
      costUsd: cents(run.costUsd),
      tasks: run.tasks.map((t) => [t.id, t.key, t.status, t.attempt, t.employeeId, cents(t.costUsd), t.inPlan, t.dependsOn]),
      approvals: run.pendingApprovals.map((a) => [a.id, a.subject, a.taskId]),
    },
  };
}

const viewOf = (s: RunState) => ({
  status: s.status,
  planVersion: s.planVersion,
  planHash: s.planHash,
  costUsd: cents(s.costUsd),
  tasks: s.tasks.map((t) => [t.id, t.key, t.status, t.attempt, t.employeeId, cents(t.costUsd), t.inPlan, t.dependsOn]),
  approvals: s.pendingApprovals.map((a) => [a.id, a.subject, a.taskId]),
});

describeStores('Run state at an event', (ctx) => {
  it('equals the rows at the last event, and at an earlier event what the rows said then', async function () {
    this.timeout(40_000);
    const h = await startManager(ctx.store, { behaviour: (a) => (a.task.id === 'flaky' && a.attempt === 1 ? behaviours.fail('first try fails') : behaviours.succeed('ok', 0.25)), options: { backoffMs: [10] } });
    try {
      const submitted = await h.orchestrator.runs.submit({ prd }, 'director');
      const waiting = await waitFor(ctx.store, async () => {
        const r = await h.orchestrator.runs.get(submitted.id);
        return r.tasks.find((t) => t.key === 'gate')!.status === 'awaiting_approval' ? r : null;
      });
      const then = await rowsNow(ctx.store, h.orchestrator, submitted.id);
      assert.equal(waiting.tasks.find((t) => t.key === 'flaky')!.attempt, 2, 'the flaky task was retried');
      assert.equal(then.view.approvals.length, 1, 'the gate waits for its approval');
      assert.deepEqual(viewOf(await h.orchestrator.runs.stateAt({ runId: submitted.id })), then.view);

      await h.orchestrator.tasks.resolveApproval(waiting.tasks.find((t) => t.key === 'gate')!.id, { approved: true, by: 'director' });
      await waitForRun(ctx.store, h.orchestrator, submitted.id, ['succeeded']);
      const now = await rowsNow(ctx.store, h.orchestrator, submitted.id);
      const last = await h.orchestrator.runs.stateAt({ runId: submitted.id });
      assert.deepEqual(viewOf(last), now.view);
      assert.equal(last.at.seq, now.seq);
      assert.equal(last.at.type, 'RunCompleted');
      assert.ok(now.seq > then.seq);

      const earlier = await h.orchestrator.runs.stateAt({ runId: submitted.id, atEvent: then.seq });
      assert.deepEqual(viewOf(earlier), then.view, 'the state at the earlier event is what was true then, not today');
      assert.equal(earlier.lastSeq, now.seq);
    } finally {
      await h.stop();
    }
  });

  it('shows a task in retry wait, with its failed attempt charged, at the event that put it there', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, { behaviour: (a) => (a.attempt === 1 ? behaviours.fail('no') : behaviours.succeed()), options: { backoffMs: [10] } });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `x`: X\n' }, 'director');
      await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded']);
      const [retrying] = await h.orchestrator.events.query({ runId: run.id, types: ['TaskRetrying'], limit: 1 });
      const state = await h.orchestrator.runs.stateAt({ runId: run.id, atEvent: retrying!.seq });
      assert.deepEqual(state.tasks.map((t) => [t.key, t.status, t.attempt, cents(t.costUsd)]), [['x', 'retry_wait', 1, 0.001]]);
      assert.equal(state.status, 'running');
      assert.equal(state.at.type, 'TaskRetrying');
    } finally {
      await h.stop();
    }
  });

  it('holds the plan in force at each event across a replan', async function () {
    this.timeout(30_000);
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed() });
    try {
      const gate = '- `gate`: Approve the release (kind: approval)\n';
      const run = await h.orchestrator.runs.submit({ prd: `## W\n- \`a\`: A\n- \`b\`: B\n- \`c\`: C\n- \`d\`: D\n- \`e\`: E\n${gate}` }, 'director');
      const open = () => waitFor(ctx.store, async () => ((await h.orchestrator.runs.get(run.id)).tasks.every((t) => !t.inPlan || ['succeeded', 'awaiting_approval'].includes(t.status)) ? true : null));
      await open();
      const replan = await h.orchestrator.runs.replan(run.id, { prd: `## W\n- \`a\`: A\n- \`b\`: B\n- \`c\`: C\n- \`d\`: D\n- \`f\`: F\n${gate}` }, 'director');
      if (replan.approvalId) await h.orchestrator.tasks.resolveApproval(replan.approvalId, { approved: true, by: 'director' });
      await open();
      const plans = await h.orchestrator.events.query({ runId: run.id, types: ['PlanGenerated'], limit: 10 });
      const before = await h.orchestrator.runs.stateAt({ runId: run.id, atEvent: plans[1]!.seq - 1 });
      const after = await h.orchestrator.runs.stateAt({ runId: run.id });
      assert.deepEqual([before.planVersion, before.plan?.tasks.map((t) => t.id)], [1, ['a', 'b', 'c', 'd', 'e', 'gate']]);
      assert.deepEqual([after.planVersion, after.plan?.tasks.map((t) => t.id)], [2, ['a', 'b', 'c', 'd', 'f', 'gate']]);
      assert.deepEqual(before.tasks.map((t) => [t.key, t.inPlan]), [['a', true], ['b', true], ['c', true], ['d', true], ['e', true], ['gate', true]]);
      assert.deepEqual(after.tasks.filter((t) => !t.inPlan).map((t) => t.key), ['e']);
    } finally {
      await h.stop();
    }
  });

  it('refuses an event past the last one and a run that does not exist, naming them', async () => {
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed(), start: false });
    const run = await h.orchestrator.runs.submit({ prd: '## W\n- `x`: X\n' }, 'director');
    await assert.rejects(h.orchestrator.runs.stateAt({ runId: run.id, atEvent: 999 }), (e: Error & { code?: string }) => e.code === 'invalid_input' && /atEvent 999 is past its last/.test(e.message));
    await assert.rejects(h.orchestrator.runs.stateAt({ runId: 'run_nosuchrun' }), (e: Error & { code?: string }) => e.code === 'not_found' && /run_nosuchrun/.test(e.message));
    await assert.rejects(h.orchestrator.runs.stateAt({ runId: run.id, atEvent: 0 }), (e: Error & { code?: string }) => e.code === 'invalid_input' && /atEvent/.test(e.message));
  });
});
