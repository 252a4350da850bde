// A task's commit as a text diff: against the run-branch commit its attempt started from (what it changed), or
// against the run branch as it is now. Read from the run's repository, so it holds after the worktree is gone.
import { z } from 'zod';
import { AuraError } from '../domain/errors';
import type { Queryable } from '../store/store';
import type { Workspace } from '../workspace/workspace';
import { parseInput, taskIdSchema } from './inputs';

export const taskDiffInputSchema = z.strictObject({
  taskId: taskIdSchema,
  /** Which attempt; default: the task's latest. */
  attempt: z.number().int().positive().optional(),
  /** base: what the attempt changed; run: the run branch now against the attempt's commit. */
  against: z.enum(['base', 'run']).default('base'),
});
export type TaskDiffInput = z.input<typeof taskDiffInputSchema>;

export interface TaskDiff {
  taskId: string;
  runId: string;
  key: string;
  attempt: number;
  against: 'base' | 'run';
  from: string;
  to: string;
  diff: string;
  truncated: boolean;
}

export async function getTaskDiff(deps: { store: Queryable; workspace?: Workspace }, input: TaskDiffInput): Promise<TaskDiff> {
  const { taskId, attempt, against } = parseInput(taskDiffInputSchema, input, 'task diff');
  const row = (await deps.store.query<{ run_id: string; key: string; attempt: number }>('SELECT run_id, key, attempt FROM aura.tasks WHERE id = $1', [taskId])).rows[0];
  if (!row) throw new AuraError('not_found', `No task with id "${taskId}".`);
  if (!deps.workspace) throw new AuraError('unavailable', 'This server keeps no run repositories (no workspace), so it has no commits to compare.');
  const n = attempt ?? Number(row.attempt);
  if (n < 1 || n > Number(row.attempt)) throw new AuraError('not_found', `Task ${taskId} has ${row.attempt ? `attempts 1 to ${row.attempt}` : 'no attempt yet'}, not attempt ${n}.`);
  let compared;
  try {
    compared = await deps.workspace.compareTask({ runId: row.run_id, taskId, attempt: n }, against);
  } catch (error) {
    if (AuraError.is(error, 'not_found')) throw new AuraError('not_found', `Task ${taskId} attempt ${n} has no commit to compare: it changed no repository (or its run has none).`, { cause: error });
    throw error;
  }
  return { taskId, runId: row.run_id, key: row.key, attempt: n, against, ...compared };
}
