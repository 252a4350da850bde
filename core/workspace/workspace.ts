// The Workspace port: a run's git repository, one worktree and branch per task attempt, merges into the run branch.
import { z } from 'zod';

/** The run's own branch; accepted task results are merged here, never into the repository's own branches. */
export function runBranchName(runId: string): string {
  return `aura/run-${runId}`;
}

/** The branch one attempt of one task commits its result on. */
export function taskBranchName(taskId: string, attempt: number): string {
  return `aura/task-${taskId}-a${attempt}`;
}

/** Every branch the product creates or moves lives under this prefix; anything else needs the Director. */
export const AURA_BRANCH_PREFIX = 'aura/';

/** Ids become branch and folder names: keep them to characters that are safe in both. */
export const workspaceIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"')
  .refine((s) => !s.includes('..') && !s.endsWith('.lock') && !s.endsWith('.'), 'not usable in a git branch name');

/** Identifies one attempt of one task of one run. */
export interface AttemptKey {
  runId: string;
  taskId: string;
  attempt: number;
}

export interface OpenRunOptions {
  /** An existing git repository (or an empty/new folder) to work on; default: a new one under $AURA_HOME/workspaces/<run>. */
  repoPath?: string;
  /** Where the run branch starts (a commit, tag or branch of the repository); default: its HEAD. */
  baseRef?: string;
}

export interface RunWorkspaceInfo {
  runId: string;
  /** The repository's top folder on the host. */
  repoPath: string;
  runBranch: string;
  /** The commit the run branch started from. */
  baseCommit: string;
  /** Whether the product created the repository (a new one under $AURA_HOME/workspaces). */
  createdRepo: boolean;
}

export interface TaskWorktree extends AttemptKey {
  branch: string;
  /** Host folder of the worktree: what is mounted at /workspace in the employee's container. */
  path: string;
  /** The run branch's head when the worktree was made (it includes every finished dependency). */
  baseCommit: string;
}

export interface CommitAuthor {
  name: string;
  email: string;
}

export interface TaskCommit {
  /** The attempt branch's head after committing (the base commit when nothing changed). */
  commit: string;
  /** Whether the attempt changed anything at all. */
  changed: boolean;
  /** Paths (relative to the repository) changed by the attempt, sorted. */
  changedFiles: string[];
}

export type MergeResult =
  | { status: 'merged'; runHead: string; changedFiles: string[] }
  /** The attempt's commit is already in the run branch (a repeated merge is applied once). */
  | { status: 'already-merged'; runHead: string }
  /** The attempt changed nothing: nothing to merge. */
  | { status: 'nothing-to-merge'; runHead: string }
  /** The run branch is left untouched; `files` and `detail` (conflict markers included) are the evidence. */
  | { status: 'conflict'; runHead: string; files: string[]; detail: string };

export interface TaskComparison {
  /** The commit compared from (the attempt's base, or the run branch's head) and the attempt branch's head. */
  from: string;
  to: string;
  diff: string;
  truncated: boolean;
}

export interface Workspace {
  /** Creates or reopens the run's repository and its branch `aura/run-<id>`; calling it again returns the same. */
  openRun(runId: string, options?: OpenRunOptions): Promise<RunWorkspaceInfo>;
  /** The run's workspace, or null when openRun was never called for it. */
  getRun(runId: string): Promise<RunWorkspaceInfo | null>;
  /** A clean worktree for one attempt on `aura/task-<task>-a<attempt>`, from the run branch's current head. */
  prepareTask(key: AttemptKey): Promise<TaskWorktree>;
  /** The attempt's worktree, or null when it was never prepared (or was released). */
  getTask(key: AttemptKey): Promise<TaskWorktree | null>;
  /** Commits everything the attempt changed in its worktree (never `.aura/`) on its branch. */
  commitTask(key: AttemptKey, message: string, author: CommitAuthor): Promise<TaskCommit>;
  /** The attempt's changes as a unified diff against its base (evidence). */
  diffTask(key: AttemptKey, maxBytes?: number): Promise<string>;
  /**
   * The attempt's branch as a unified diff, also once its worktree is released: against the run-branch commit it
   * started from ('base': what it changed) or against the run branch now ('run': how the run differs from it).
   */
  compareTask(key: AttemptKey, against: 'base' | 'run', maxBytes?: number): Promise<TaskComparison>;
  /** Merges the attempt's branch into the run branch; a conflict is reported, never half-applied. */
  mergeTask(key: AttemptKey, message: string): Promise<MergeResult>;
  /** Removes the attempt's worktree folder; its branch and commits stay. */
  releaseTask(key: AttemptKey): Promise<void>;
  /** The run branch's current head. */
  runHead(runId: string): Promise<string>;
  /** Commits on the run branch since it started, oldest first (first-parent: one per merged task). */
  runHistory(runId: string): Promise<Array<{ commit: string; subject: string }>>;
  /** The git tree hash of a commit of the run's repository: equal trees are byte-identical files (a replay's proof). */
  treeOf(runId: string, commit: string): Promise<string>;
}
