// Merges an accepted attempt into the run branch; a merge conflict turns the acceptance into a failure with evidence.
import type { Governance, Verdict } from '../manager/governance-port';
import type { Logger } from '../observability/logger';
import type { Assignment, WorkResult } from '../workforce/worker';
import { attemptKey } from './with-workspace';
import type { MergeResult, Workspace } from './workspace';

/** Conflict detail kept in a verdict's reason (the full detail stays reproducible from the two branches). */
const MAX_REASON_DETAIL = 8 * 1024;

export function mergeCommitMessage(a: Assignment): string {
  return `Merge ${a.task.id}: ${a.task.title}`.slice(0, 200) + `\n\nAura-Run: ${a.runId}\nAura-Task: ${a.taskId}\nAura-Attempt: ${a.attempt}\nAura-Employee: ${a.employee.id}\n`;
}

/** The verdict a merge outcome gives: merged, already merged and nothing to merge pass; a conflict fails. */
export function mergeVerdict(merge: MergeResult, a: Assignment): Verdict {
  if (merge.status !== 'conflict') return { passed: true };
  const detail = merge.detail.length > MAX_REASON_DETAIL ? `${merge.detail.slice(0, MAX_REASON_DETAIL)}\n[…]` : merge.detail;
  return {
    passed: false,
    // Another attempt starts from the run branch's new head, which holds what conflicted, so it may well succeed.
    retryable: true,
    reason: `Merge conflict: ${a.task.id} (attempt ${a.attempt}) conflicts with aura/run-${a.runId} in ${merge.files.join(', ')}.\n${detail}`,
  };
}

/**
 * Merges the attempt if the workspace prepared it (a run without a workspace has nothing to merge), then
 * releases its worktree. Returns null when there was no worktree for the attempt.
 */
export async function mergeAcceptedAttempt(workspace: Workspace, a: Assignment, result: WorkResult): Promise<MergeResult | null> {
  const key = attemptKey(a);
  if (!(await workspace.getRun(a.runId))) return null;
  const worktree = await workspace.getTask(key);
  if (!worktree && !result.commit) return null;
  const merge = await workspace.mergeTask(key, mergeCommitMessage(a));
  if (worktree) await workspace.releaseTask(key);
  return merge;
}

/**
 * Governance whose verification ends with the merge: only a result the Auditor passed is merged, in the order
 * results are accepted (a task runs only after its dependencies were accepted, so this is dependency order).
 */
export function withMergeOnAccept(governance: Governance, options: { workspace: Workspace; logger?: Logger }): Governance {
  return {
    ...governance,
    async verify(assignment, result) {
      const verdict = await governance.verify(assignment, result);
      if (!verdict.passed) {
        // A rejected attempt's worktree is not needed any more; its branch stays as evidence.
        if (await options.workspace.getRun(assignment.runId)) await options.workspace.releaseTask(attemptKey(assignment)).catch(() => undefined);
        return verdict;
      }
      const merge = await mergeAcceptedAttempt(options.workspace, assignment, result);
      if (merge) options.logger?.info({ runId: assignment.runId, taskId: assignment.taskId, attempt: assignment.attempt, merge: merge.status }, 'attempt merged into the run branch');
      return merge ? mergeVerdict(merge, assignment) : verdict;
    },
  };
}
