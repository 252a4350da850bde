// Plan diffs (a run's plan versions, applied, waiting and rejected, two of them side by side) and task diffs (an
// attempt's commit against where it started and against the run branch), on both stores.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import { AuraError } from '../../../core/domain/errors';
import { getTaskDiff } from '../../../core/runs/task-diff';
import { behaviours } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { startManager, waitFor, waitForRun } from '../manager/manager-harness';

const v1 = '## W\n- `gate`: Approve the start (kind: approval)\n- `a`: Write a (after `gate`)\n- `b`: Write b (after `a`)\n';
const isCode = (code: string) => (e: unknown) => AuraError.is(e, code as never);

describeStores('Plan diffs', (ctx) => {
  it('lists applied, waiting and rejected versions and compares two of them task by task', async function () {
    this.timeout(40_000);
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed() });
    try {
      const run = await h.orchestrator.runs.submit({ prd: v1 }, 'director');
      const first = await h.orchestrator.runs.planDiff({ runId: run.id });
      assert.deepEqual([first.from, first.to, first.summary], [null, 1, { added: 3, removed: 0, changed: 0, same: 0 }], 'the first version against no plan');

      // A large replan (a changed, b removed, c added) waits for the Director.
      const v2 = '## W\n- `gate`: Approve the start (kind: approval)\n- `a`: Write a, with tests (after `gate`)\n- `c`: Write c (after `a`)\n';
      const held = await h.orchestrator.runs.replan(run.id, { prd: v2 }, 'director');
      assert.equal(held.needsApproval, true);
      const waiting = await h.orchestrator.runs.planDiff({ runId: run.id });
      assert.deepEqual(waiting.versions.map((v) => [v.version, v.state, v.approvalId]), [[1, 'applied', null], [2, 'proposed', held.approvalId]]);
      assert.deepEqual([waiting.from, waiting.to], [1, 2]);
      assert.deepEqual(waiting.rows.map((r) => [r.key, r.change, r.fields]), [['gate', 'same', []], ['a', 'changed', ['title', 'description']], ['b', 'removed', []], ['c', 'added', []]]);
      assert.equal(waiting.rows.find((r) => r.key === 'b')!.before!.title, 'Write b');
      assert.equal(waiting.rows.find((r) => r.key === 'c')!.after!.title, 'Write c');

      // Rejected, then a different replan applied under the same version number: the applied one is version 2.
      await h.orchestrator.tasks.resolveApproval(held.approvalId!, { approved: false, by: 'director', note: 'not c' });
      const v2b = '## W\n- `gate`: Approve the start (kind: approval)\n- `a`: Write a (after `gate`)\n- `b`: Write b, documented (after `a`)\n';
      const small = await h.orchestrator.runs.replan(run.id, { prd: v2b }, 'director');
      assert.equal(small.applied || small.needsApproval, true);
      if (small.needsApproval) await h.orchestrator.tasks.resolveApproval(small.approvalId!, { approved: true, by: 'director' });
      const applied = await waitFor(ctx.store, async () => {
        const d = await h.orchestrator.runs.planDiff({ runId: run.id });
        return d.versions.some((v) => v.version === 2 && v.state === 'applied') ? d : null;
      });
      assert.deepEqual(applied.versions.map((v) => [v.version, v.state]), [[1, 'applied'], [2, 'rejected'], [2, 'applied']]);
      assert.deepEqual(applied.rows.map((r) => [r.key, r.change, r.fields]), [['gate', 'same', []], ['a', 'same', []], ['b', 'changed', ['title', 'description']]]);
      const back = await h.orchestrator.runs.planDiff({ runId: run.id, from: 2, to: 1 });
      assert.deepEqual(back.rows.find((r) => r.key === 'b')!.after!.title, 'Write b', 'compared the other way round');

      await assert.rejects(h.orchestrator.runs.planDiff({ runId: run.id, to: 7 }), (e: unknown) => isCode('not_found')(e) && /no plan version 7 \(its versions: 1, 2\)/.test((e as Error).message));
      await assert.rejects(h.orchestrator.runs.planDiff({ runId: 'run_nosuch' }), isCode('not_found'));
      await assert.rejects(h.orchestrator.runs.planDiff({ runId: 'x' } as never), (e: unknown) => isCode('invalid_input')(e) && /run id/.test((e as Error).message));
      await h.orchestrator.runs.cancel(run.id, 'done with it', 'director');
    } finally {
      await h.stop();
    }
  });
});

describeStores('Task diffs', (ctx) => {
  it("answers an attempt's commit as a diff against its start and against the run branch, and names what is missing", async function () {
    this.timeout(30_000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-task-diff-'));
    const workspace = createGitWorkspace({ workspacesDir: path.join(root, 'workspaces') });
    const h = await startManager(ctx.store, { behaviour: () => behaviours.succeed() });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `a`: Write a\n' }, 'director');
      const done = await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded']);
      const task = done.tasks[0]!;
      // What the worker does for an attempt on a repository: a worktree from the run head, the change, its commit.
      await workspace.openRun(run.id);
      const wt = await workspace.prepareTask({ runId: run.id, taskId: task.id, attempt: 1 });
      fs.writeFileSync(path.join(wt.path, 'a.txt'), 'hello\n');
      const commit = await workspace.commitTask({ runId: run.id, taskId: task.id, attempt: 1 }, 'a', { name: 'E', email: 'e@employees.aura.invalid' });

      const base = await getTaskDiff({ store: ctx.store, workspace }, { taskId: task.id });
      assert.deepEqual([base.runId, base.key, base.attempt, base.against, base.from, base.to], [run.id, 'a', 1, 'base', wt.baseCommit, commit.commit]);
      assert.match(base.diff, /^\+\+\+ b\/a\.txt\n@@ -0,0 \+1 @@\n\+hello$/m);
      const vsRun = await getTaskDiff({ store: ctx.store, workspace }, { taskId: task.id, against: 'run' });
      assert.equal(vsRun.from, await workspace.runHead(run.id));

      await assert.rejects(getTaskDiff({ store: ctx.store, workspace }, { taskId: task.id, attempt: 2 }), (e: unknown) => isCode('not_found')(e) && /attempts 1 to 1, not attempt 2/.test((e as Error).message));
      await assert.rejects(getTaskDiff({ store: ctx.store }, { taskId: task.id }), isCode('unavailable'));
      await assert.rejects(getTaskDiff({ store: ctx.store, workspace }, { taskId: 'task_nosuch' }), isCode('not_found'));
      await assert.rejects(getTaskDiff({ store: ctx.store, workspace }, { taskId: task.id, against: 'elsewhere' } as never), (e: unknown) => isCode('invalid_input')(e) && /against/.test((e as Error).message));
      const other = await h.orchestrator.runs.submit({ prd: '## W\n- `z`: Z\n' }, 'director');
      const z = (await waitForRun(ctx.store, h.orchestrator, other.id, ['succeeded'])).tasks[0]!;
      await assert.rejects(getTaskDiff({ store: ctx.store, workspace }, { taskId: z.id }), (e: unknown) => isCode('not_found')(e) && /no commit to compare/.test((e as Error).message));
    } finally {
      await h.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
