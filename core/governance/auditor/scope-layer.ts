// Verification layer 2: the files the attempt's commit changed (from the workspace's diff) must lie inside the task's scope.
import type { RunInfo } from '../../manager/governance-port';
import type { Assignment } from '../../workforce/worker';
import { protectedAmong, scopeMatcher } from '../../workspace/scope';
import type { ToolApprovals } from '../policy/command-gate';
import type { CompiledPolicySet } from '../policy/policy-compile';
import { decide } from '../policy/policy-evaluate';
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
  const evidence = { baseCommit: worktree.baseCommit, branch: worktree.branch, scope: a.task.scope, scopeSource: a.task.scopeSource ?? 'declared', changedFiles, outside, diff: clip(diff, DIFF_KEPT_CHARS) };
  if (outside.length === 0) return { layer: 'scope', passed: true, evidence, details: { changedFiles: changedFiles.length } };
  return {
    layer: 'scope',
    passed: false,
    reason: `changed files outside the task's scope (${a.task.scope.length ? shownScope(a.task.scope) : 'no files at all'}): ${outside.slice(0, 10).join(', ')}`,
    evidence,
    details: { outside: outside.slice(0, 50) },
  };
}

/** The scope as the Director reads it: the default one is named, not listed glob by glob. */
function shownScope(scope: readonly string[]): string {
  return scope[0] === '**' && scope.slice(1).every((g) => g.startsWith('!')) ? 'the repository minus protected paths' : scope.join(', ');
}

export interface ScopeJudgeDeps {
  policyFor(runId: string): Promise<{ set: CompiledPolicySet; run: RunInfo }>;
  /** Where a change the policy asks the Director about is held (the held-command store); without it, asking fails the attempt. */
  approvals?: ToolApprovals;
}

/**
 * A change outside the scope is judged by policy at the `scope` checkpoint: deny fails the attempt, notify accepts it
 * flagged (the anomaly is still recorded), require_approval holds it for the Director. With no rule deciding, it fails.
 */
export async function judgeScope(deps: ScopeJudgeDeps, a: Assignment, found: LayerOutcome): Promise<LayerOutcome> {
  const evidence = found.evidence as { outside: string[]; changedFiles: string[] };
  const { set, run } = await deps.policyFor(a.runId);
  const figures = { source: a.task.scopeSource ?? 'declared', outside: evidence.outside, protected: protectedAmong(evidence.outside), changed: evidence.changedFiles };
  const d = decide(set, { checkpoint: 'scope', task: a.task, taskId: a.taskId, employee: a.employee, run, scope: figures });
  const judgment = { action: d.matches.length ? (d.action === 'allow' && d.notices.length ? 'flag' : d.action) : 'deny', rule: d.rule ?? d.notices[0]?.rule ?? null, reason: d.reason ?? d.notices[0]?.reason ?? 'no policy rule judges changes outside the scope' };
  const withJudgment = { ...evidence, judgment, protected: figures.protected };
  const details = { ...found.details, judgment: judgment.action, rule: judgment.rule };
  if (judgment.action === 'flag' || judgment.action === 'allow') {
    return { layer: 'scope', passed: true, evidence: withJudgment, details: { ...details, flagged: judgment.action === 'flag' } };
  }
  if (judgment.action === 'require_approval' && deps.approvals) {
    const subject = `scope change: ${evidence.outside.slice(0, 20).join(', ')}`;
    if (await deps.approvals.isApproved(a.runId, a.taskId, subject)) return { layer: 'scope', passed: true, evidence: withJudgment, details: { ...details, approved: true } };
    await deps.approvals.hold({ runId: a.runId, taskId: a.taskId, attempt: a.attempt, command: subject, rule: judgment.rule ?? 'scope', reason: judgment.reason, evidenceHash: null });
    return { ...found, evidence: withJudgment, details, reason: `${found.reason} — waiting for the Director (policy ${judgment.rule}: ${judgment.reason})` };
  }
  return { ...found, evidence: withJudgment, details, reason: `${found.reason} — policy ${judgment.rule ?? 'scope'}: ${judgment.reason}` };
}
