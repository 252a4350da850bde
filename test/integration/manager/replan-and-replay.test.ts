// Replanning (a small change applies at once, a large one waits for the Director) and the proof that every
// transition is recorded: each run's state, rebuilt from its events alone, equals the rows.
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../../core/events/stored-event';
import { projectRun } from '../../../core/runs/run-projection';
import { behaviours } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { startManager, waitFor, waitForRun } from './manager-harness';

const tasks = (keys: string[], extra = '') => keys.map((k) => `- \`${k}\`: Task ${k}${extra && k === 't2' ? extra : ''}`).join('\n');
const v1 = `## W\n${tasks(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'])}\n- \`gate\`: Approve the release\n`;

describeStores('Replanning and replay', (ctx) => {
  it('applies a small replan at once, holds a large one for approval, then applies it', async function () {
    this.timeout(40_000);
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed() });
    try {
      const run = await h.orchestrator.runs.submit({ prd: v1 }, 'director');
      const settled = () => waitFor(ctx.store, async () => {
        const r = await h.orchestrator.runs.get(run.id);
        return r.tasks.every((t) => !t.inPlan || ['succeeded', 'awaiting_approval', 'cancelled'].includes(t.status)) ? r : null;
      });
      await settled();
      const small = await h.orchestrator.runs.replan(run.id, { prd: v1.replace('Task t1', 'Task t1, with logging') }, 'director');
      assert.deepEqual([small.applied, small.needsApproval, small.diff.changed, small.diff.changedFraction, small.version], [true, false, ['t1'], 0.1, 2]);
      let r = await settled();
      assert.equal(r.tasks.find((t) => t.key === 't1')!.attempt, 2, 'the changed task ran again');
      assert.equal(r.tasks.find((t) => t.key === 't3')!.attempt, 1, 'an unchanged task did not');

      const v3 = `## W\n${tasks(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't11'], ' (with tests)')}\n- \`gate\`: Approve the release\n`.replace('Task t1', 'Task t1, with logging');
      const large = await h.orchestrator.runs.replan(run.id, { prd: v3 }, 'director');
      assert.deepEqual([large.applied, large.needsApproval, large.diff.added, large.diff.removed, large.diff.changed], [false, true, ['t11'], ['t8', 't9'], ['t2']]);
      assert.equal(large.diff.changedFraction, 0.4);
      assert.equal((await h.orchestrator.runs.get(run.id)).planVersion, 2, 'a held replan changes nothing yet');
      const resolved = await h.orchestrator.tasks.resolveApproval(large.approvalId!, { approved: true, by: 'director' });
      assert.equal(resolved.subject, 'replan');
      r = await settled();
      assert.equal(r.planVersion, 3);
      assert.deepEqual(r.plan.tasks.map((t) => t.id), ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't11', 'gate']);
      assert.deepEqual(r.tasks.filter((t) => !t.inPlan).map((t) => [t.key, t.status]), [['t8', 'succeeded'], ['t9', 'succeeded']]);
      assert.equal(r.tasks.find((t) => t.key === 't11')!.status, 'succeeded');
      assert.equal(r.progress.total, 9);
      await h.orchestrator.tasks.resolveApproval(r.tasks.find((t) => t.key === 'gate')!.id, { approved: true, by: 'director' });
      await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded']);
      const replans = (await h.orchestrator.events.query({ runId: run.id, types: ['PlanGenerated'], limit: 10 })) as StoredEvent<'PlanGenerated'>[];
      assert.deepEqual(replans.map((e) => [e.payload.version, e.payload.planHash]), [[1, replans[0]!.payload.planHash], [2, small.planHash], [3, large.planHash]]);
    } finally {
      await h.stop();
    }
  });

  it('rebuilds every run of this database from its events alone, equal to the rows', async function () {
    this.timeout(40_000);
    // More history first: retries, a dead letter retried and one skipped, a held plan, a cancel, a released lease.
    const h = await startManager(ctx.store, { behaviour: (a) => (a.task.id === 'hold' ? behaviours.hangs() : a.task.id.startsWith('flaky') && a.attempt === 1 ? behaviours.fail('first try fails') : a.task.id === 'bad' && a.attempt < 3 ? behaviours.fail('no') : behaviours.succeed()), options: { backoffMs: [10] } });
    try {
      const one = await h.orchestrator.runs.submit({ prd: '## W\n- `flaky-1`: F\n- `bad`: B (attempts: 2)\n- `after-bad`: A (after `bad`)\n- `flaky-2`: G (after `flaky-1`)\n' }, 'director');
      const blocked = await waitForRun(ctx.store, h.orchestrator, one.id, ['blocked']);
      await h.orchestrator.tasks.retry(blocked.tasks.find((t) => t.key === 'bad')!.id, {}, 'director');
      await waitForRun(ctx.store, h.orchestrator, one.id, ['succeeded']);
      const two = await h.orchestrator.runs.submit({ prd: '## W\n- `bad`: B (attempts: 1)\n- `next`: N (after `bad`)\n' }, 'director');
      const stuck = await waitForRun(ctx.store, h.orchestrator, two.id, ['blocked']);
      await h.orchestrator.tasks.skip(stuck.tasks[0]!.id, 'later', 'director');
      await waitForRun(ctx.store, h.orchestrator, two.id, ['succeeded']);
      const three = await h.orchestrator.runs.submit({ prd: '## W\n- `hold`: H\n- `x`: X (after `hold`)\n' }, 'director');
      await h.orchestrator.runs.pause(three.id, 'wait', 'director');
      await h.orchestrator.runs.cancel(three.id, 'never mind', 'director');
    } finally {
      await h.stop();
    }
    const hanging = await startManager(ctx.store, { behaviour: () => behaviours.hangs(true) });
    const four = await hanging.orchestrator.runs.submit({ prd: '## W\n- `slow`: S\n' }, 'director');
    await waitFor(ctx.store, async () => hanging.workforce.calls.length === 1);
    await hanging.stop();

    const runs = await ctx.store.query<{ id: string; status: string }>('SELECT id, status FROM aura.runs ORDER BY id');
    assert.ok(runs.rows.length >= 5);
    for (const row of runs.rows) {
      const events = await h.orchestrator.events.query({ stream: row.id, limit: 1000 });
      const projected = projectRun(events);
      assert.equal(projected.status, row.status, `run ${row.id}`);
      const taskRows = await ctx.store.query<{ id: string; status: string; attempt: number; employee_id: string | null }>('SELECT id, status, attempt, employee_id FROM aura.tasks WHERE run_id = $1 ORDER BY id', [row.id]);
      assert.deepEqual(
        [...projected.tasks.values()].sort((a, b) => a.id.localeCompare(b.id)).map((t) => [t.id, t.status, t.attempt, t.employeeId]),
        taskRows.rows.map((t) => [t.id, t.status, Number(t.attempt), t.employee_id]),
        `tasks of run ${row.id}`,
      );
    }
    assert.equal(projectRun(await h.orchestrator.events.query({ stream: four.id, limit: 100 })).tasks.get(four.tasks[0]!.id)!.status, 'ready', 'a released lease leaves the task ready');
  });
});
