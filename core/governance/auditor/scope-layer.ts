// Verification layer 2: the files the attempt's commit changed (from the workspace's diff) must lie inside the task's scope.
import type { Assignment } from '../../workforce/worker';
import { scopeMatcher } from '../../workspace/scope';
import type { Workspace } from '../../workspace/workspace';
import { clip } from './evidence-scrub';
import type { LayerOutcome } from './verification-record';

/** Enough to list every changed file of any reasonable change; the evidence keeps a clipped copy. */
const DIFF_READ_BYTES = 8 * 1024 * 1024;
const DIFF_KEPT_CHARS = 128 * 1024;

/** Paths named by a unified diff's `diff --git a/X b/Y` headers (both sides, so renames count twice). */
export function changedFilesOfDiff(diff: string): string[] {
  const files = new Set<string>();
  for (const line of diff.split('\n')) {
    if (!line.startsWith('diff --git ')) continue;
    const quoted = /^diff --git "a\/(.+)" "b\/(.+)"$/.exec(line);
    const plain = quoted ?? /^diff --git a\/(.+) b\/(.+)$/.exec(line);
    if (!plain) continue;
    for (const p of [plain[1]!, plain[2]!]) files.add(quoted ? unquote(p) : p);
  }
  return [...files].sort();
}

function unquote(path: string): string {
  return path.replace(/\\(["\\])/g, '$1');
}

/** Null when there is nothing to inspect (the run has no workspace, or the attempt never had a worktree). */
export async function checkScope(workspace: Workspace | undefined, a: Assignment): Promise<LayerOutcome | null> {
  if (!workspace) return null;
  if (!(await workspace.getRun(a.runId))) return null;
  const key = { runId: a.runId, taskId: a.taskId, attempt: a.attempt };
  const worktree = await workspace.getTask(key);
  if (!worktree) return null;
  const diff = await workspace.diffTask(key, DIFF_READ_BYTES);
  const changedFiles = changedFilesOfDiff(diff);
  const outside = scopeMatcher(a.task.scope).outside(changedFiles);
  const evidence = { baseCommit: worktree.baseCommit, branch: worktree.branch, scope: a.task.scope, changedFiles, outside, diff: clip(diff, DIFF_KEPT_CHARS) };
  if (outside.length === 0) return { layer: 'scope', passed: true, evidence, details: { changedFiles: changedFiles.length } };
  return {
    layer: 'scope',
    passed: false,
    reason: `changed files outside the task's scope (${a.task.scope.length ? a.task.scope.join(', ') : 'no files at all'}): ${outside.slice(0, 10).join(', ')}`,
    evidence,
    details: { outside: outside.slice(0, 50) },
  };
}
