// Gives every attempt its own worktree: prepared before the worker runs, committed on the attempt's branch after.
// Wraps any WorkerFactory, so a worker only ever sees its worktree (context.workdir) and never touches git itself.
// A workdir the caller passes in is taken as the run's repository: it is never handed to an employee as it is.
import fs from 'node:fs';
import path from 'node:path';
import { toAuraError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import type { Assignment, BaseModelWorker, WorkContext, WorkerFactory, WorkResult } from '../workforce/worker';
import type { AttemptKey, Workspace } from './workspace';

export interface WithWorkspaceOptions {
  workspace: Workspace;
  logger?: Logger;
}

export function attemptKey(a: Pick<Assignment, 'runId' | 'taskId' | 'attempt'>): AttemptKey {
  return { runId: a.runId, taskId: a.taskId, attempt: a.attempt };
}

/** The commit message of an attempt: the task, the employee's summary, and trailers that link it to the run. */
export function attemptCommitMessage(a: Assignment, summary: string): string {
  const subject = `${a.task.id}: ${a.task.title}`.slice(0, 200);
  return `${subject}\n\n${summary.slice(0, 4000)}\n\nAura-Run: ${a.runId}\nAura-Task: ${a.taskId}\nAura-Attempt: ${a.attempt}\nAura-Employee: ${a.employee.id}\n`;
}

export function employeeAuthor(a: Assignment): { name: string; email: string } {
  return { name: a.employee.profile.name, email: `${a.employee.id}@employees.aura.invalid` };
}

function wrap(inner: BaseModelWorker, options: WithWorkspaceOptions): BaseModelWorker {
  const { workspace, logger } = options;
  return {
    capabilities: inner.capabilities,
    cancel: (taskId) => inner.cancel(taskId),
    async execute(assignment: Assignment, context: WorkContext): Promise<WorkResult> {
      const key = attemptKey(assignment);
      // Already this attempt's own worktree (someone prepared it): its git side is theirs.
      const prepared = await workspace.getTask(key);
      if (context.workdir && prepared && path.resolve(context.workdir) === prepared.path) return inner.execute(assignment, context);
      // Otherwise a folder the Manager gives is the run's repository (the path given at submit); no folder
      // means a new repository under $AURA_HOME/workspaces/<run>. The employee only ever gets a worktree.
      if (!(await workspace.getRun(assignment.runId))) await workspace.openRun(assignment.runId, context.workdir ? { repoPath: context.workdir } : {});
      // An attempt resumed after its Manager died goes on in its worktree as that run left it; any other starts clean.
      const left = assignment.resumed?.from === 'worktree' && prepared && fs.existsSync(path.join(prepared.path, '.git')) ? prepared : null;
      if (left) logger?.info({ taskId: assignment.taskId, attempt: assignment.attempt, worktree: left.path }, 'resumed attempt goes on in its worktree');
      const worktree = left ?? (await workspace.prepareTask(key));
      let result: WorkResult;
      try {
        result = await inner.execute(assignment, { ...context, workdir: worktree.path });
      } catch (error) {
        // What a stopped or failed attempt left is kept on its branch as evidence; that branch is never merged.
        await workspace
          .commitTask(key, attemptCommitMessage(assignment, `Stopped: ${toAuraError(error).message}`), employeeAuthor(assignment))
          .catch((e: unknown) => logger?.warn({ err: toAuraError(e).message, taskId: assignment.taskId }, 'could not keep the work of a stopped attempt'));
        await workspace.releaseTask(key).catch(() => undefined);
        throw error;
      }
      const commit = await workspace.commitTask(key, attemptCommitMessage(assignment, result.summary), employeeAuthor(assignment));
      // A failed attempt's worktree is not needed any more; a succeeded one stays until it is verified and merged.
      if (result.status === 'failed') await workspace.releaseTask(key);
      return commit.changed ? { ...result, commit: commit.commit } : result;
    },
  };
}

/** A WorkerFactory whose workers each work in the attempt's own worktree of the run's repository. */
export function withWorkspace(factory: WorkerFactory, options: WithWorkspaceOptions): WorkerFactory {
  return (employee) => wrap(factory(employee), options);
}
