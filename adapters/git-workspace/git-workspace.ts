// The Workspace port on the git CLI: run repositories, per-attempt worktrees, and merges into aura/run-<id>.
import { AuraError } from '../../core/domain/errors';
import { type AttemptKey, type Workspace, workspaceIdSchema } from '../../core/workspace/workspace';
import { git } from './git-cli';
import { commitWorktree, compareAttempt, diffWorktree, prepareWorktree, releaseWorktree, toTaskWorktree } from './task-worktrees';
import { mergeAttempt } from './merge-into-run';
import { openRunRepository } from './run-repository';
import { type AttemptRecord, type RunRecord, workspaceLayout } from './workspace-records';

export interface GitWorkspaceOptions {
  /** `$AURA_HOME/workspaces`: new repositories, worktrees and their records live here. */
  workspacesDir: string;
}

function checkId(what: string, value: string): void {
  const parsed = workspaceIdSchema.safeParse(value);
  if (!parsed.success) throw new AuraError('invalid_input', `${what} "${value}" cannot name a branch or folder: ${parsed.error.issues[0]?.message}`);
}

function checkKey(key: AttemptKey): void {
  checkId('Run id', key.runId);
  checkId('Task id', key.taskId);
  if (!Number.isInteger(key.attempt) || key.attempt < 1) throw new AuraError('invalid_input', `Attempt must be a positive whole number, not ${key.attempt}.`);
}

export function createGitWorkspace(options: GitWorkspaceOptions): Workspace {
  const layout = workspaceLayout(options.workspacesDir);
  /** Opening one run twice at once in this process is serialised (different runs are not). */
  const opening = new Map<string, Promise<RunRecord>>();

  const run = (runId: string): RunRecord => {
    checkId('Run id', runId);
    const record = layout.readRun(runId);
    if (!record) throw new AuraError('not_found', `Run ${runId} has no workspace; it was never opened.`);
    return record;
  };
  const attempt = (key: AttemptKey): AttemptRecord => {
    checkKey(key);
    const record = layout.readAttempt(key);
    if (!record) throw new AuraError('not_found', `Task ${key.taskId} attempt ${key.attempt} of run ${key.runId} has no worktree; it was never prepared.`);
    return record;
  };

  return {
    async openRun(runId, openOptions = {}) {
      checkId('Run id', runId);
      const pending = opening.get(runId) ?? openRunRepository(runId, openOptions, layout).finally(() => opening.delete(runId));
      opening.set(runId, pending);
      const { runId: id, repoPath, runBranch, baseCommit, createdRepo } = await pending;
      return { runId: id, repoPath, runBranch, baseCommit, createdRepo };
    },
    async getRun(runId) {
      checkId('Run id', runId);
      const record = layout.readRun(runId);
      return record && { runId: record.runId, repoPath: record.repoPath, runBranch: record.runBranch, baseCommit: record.baseCommit, createdRepo: record.createdRepo };
    },
    async prepareTask(key) {
      checkKey(key);
      return prepareWorktree(run(key.runId), key, layout);
    },
    async getTask(key) {
      checkKey(key);
      const record = layout.readAttempt(key);
      return record && !record.released ? toTaskWorktree(record) : null;
    },
    commitTask: async (key, message, author) => commitWorktree(attempt(key), message, author),
    diffTask: async (key, maxBytes = 256 * 1024) => diffWorktree(attempt(key), maxBytes),
    compareTask: async (key, against, maxBytes = 1024 * 1024) => compareAttempt(run(key.runId), attempt(key), against, maxBytes),
    mergeTask: async (key, message) => mergeAttempt(run(key.runId), attempt(key), message),
    releaseTask: async (key) => releaseWorktree(run(key.runId), attempt(key), layout),
    async runHead(runId) {
      const record = run(runId);
      return git(['rev-parse', '--verify', `refs/heads/${record.runBranch}^{commit}`], { cwd: record.repoPath });
    },
    async runHistory(runId) {
      const record = run(runId);
      const out = await git(['log', '--first-parent', '--reverse', '--format=%H%x00%s', `${record.baseCommit}..refs/heads/${record.runBranch}`], { cwd: record.repoPath });
      return out
        .split('\n')
        .filter((l) => l.length > 0)
        .map((line) => {
          const [commit, subject] = line.split('\0');
          return { commit: commit!, subject: subject ?? '' };
        });
    },
    async treeOf(runId, commit) {
      if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new AuraError('invalid_input', `"${commit}" is not a commit hash.`);
      return git(['rev-parse', '--verify', `${commit}^{tree}`], { cwd: run(runId).repoPath });
    },
  };
}
