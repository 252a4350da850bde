// One worktree per task attempt: made from the run branch's head, committed on its own branch, released after.
import fs from 'node:fs';
import path from 'node:path';
import { AuraError } from '../../core/domain/errors';
import { HANDOFF_DIR } from '../../core/workspace/scope';
import { type AttemptKey, type CommitAuthor, type TaskCommit, type TaskComparison, type TaskWorktree, taskBranchName } from '../../core/workspace/workspace';
import { git, runGit, splitNul } from './git-cli';
import { assertAuraRef, committerEnv } from './refs';
import type { AttemptRecord, RunRecord, WorkspaceLayout } from './workspace-records';

/** Lets the container's unprivileged user write every file and folder (the tasks folder, 0700, keeps others out). */
function shareTree(dir: string): void {
  fs.chmodSync(dir, 0o777);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) shareTree(full);
    else if (entry.isFile() && entry.name !== '.git') fs.chmodSync(full, fs.statSync(full).mode | 0o666);
  }
}

/** The worktree's git folder, read from its `.git` file while the product alone has touched it. */
function readGitDir(worktree: string): string {
  const text = fs.readFileSync(path.join(worktree, '.git'), 'utf8');
  const match = /^gitdir: (.+)$/m.exec(text);
  if (!match) throw new AuraError('internal', `Worktree ${worktree} has no gitdir pointer.`);
  return path.resolve(worktree, match[1]!.trim());
}

/** Git arguments that address an attempt's worktree explicitly, never through the (container-writable) `.git` file. */
export function worktreeGit(record: Pick<AttemptRecord, 'gitDir' | 'path'>): string[] {
  return ['--git-dir', record.gitDir, '--work-tree', record.path];
}

export function toTaskWorktree(record: AttemptRecord): TaskWorktree {
  return { runId: record.runId, taskId: record.taskId, attempt: record.attempt, branch: record.branch, path: record.path, baseCommit: record.baseCommit };
}

async function removeWorktreeFolder(run: RunRecord, folder: string): Promise<void> {
  fs.rmSync(folder, { recursive: true, force: true });
  await runGit(['worktree', 'prune'], { cwd: run.repoPath, okCodes: [0, 128] });
}

export async function prepareWorktree(run: RunRecord, key: AttemptKey, layout: WorkspaceLayout): Promise<TaskWorktree> {
  const folder = layout.worktreeDir(key);
  const branch = taskBranchName(key.taskId, key.attempt);
  assertAuraRef(`refs/heads/${branch}`);
  // A worktree left by an interrupted attempt is thrown away: every attempt starts clean.
  if (fs.existsSync(folder)) await removeWorktreeFolder(run, folder);
  const base = await git(['rev-parse', '--verify', `refs/heads/${run.runBranch}^{commit}`], { cwd: run.repoPath });
  await git(['worktree', 'add', '--quiet', '--force', '-B', branch, folder, base], { cwd: run.repoPath });
  const record: AttemptRecord = { ...key, branch, path: folder, gitDir: readGitDir(folder), baseCommit: base, released: false };
  shareTree(folder);
  layout.writeAttempt(record);
  return toTaskWorktree(record);
}

export async function commitWorktree(record: AttemptRecord, message: string, author: CommitAuthor): Promise<TaskCommit> {
  if (record.released) throw new AuraError('conflict', `The worktree of ${record.taskId} attempt ${record.attempt} was released; nothing more can be committed.`);
  const wt = worktreeGit(record);
  const opts = { cwd: record.path, env: committerEnv(author) };
  await git([...wt, 'add', '--all', '--', '.', `:(exclude)${HANDOFF_DIR}`], opts);
  const staged = await runGit([...wt, 'diff', '--cached', '--quiet'], { ...opts, okCodes: [0, 1] });
  if (staged.exitCode === 1) await git([...wt, 'commit', '--quiet', '--no-verify', '-m', message], opts);
  const head = await git(['--git-dir', record.gitDir, 'rev-parse', '--verify', `refs/heads/${record.branch}^{commit}`]);
  const changedFiles = head === record.baseCommit ? [] : splitNul(await git(['--git-dir', record.gitDir, 'diff', '--name-only', '-z', record.baseCommit, head])).sort();
  return { commit: head, changed: changedFiles.length > 0, changedFiles };
}

export async function diffWorktree(record: AttemptRecord, maxBytes: number): Promise<string> {
  const head = await git(['--git-dir', record.gitDir, 'rev-parse', '--verify', `refs/heads/${record.branch}^{commit}`]);
  const out = await runGit(['--git-dir', record.gitDir, 'diff', '--no-color', '--no-ext-diff', '--no-textconv', record.baseCommit, head], { maxOutputBytes: maxBytes });
  return out.truncated ? `${out.stdout}\n[diff truncated at ${maxBytes} bytes]\n` : out.stdout;
}

/** The attempt branch against its base or the run branch, read in the run's repository (its worktree may be gone). */
export async function compareAttempt(run: RunRecord, record: AttemptRecord, against: 'base' | 'run', maxBytes: number): Promise<TaskComparison> {
  const rev = (ref: string) => git(['rev-parse', '--verify', `${ref}^{commit}`], { cwd: run.repoPath });
  const to = await rev(`refs/heads/${record.branch}`);
  const from = against === 'base' ? record.baseCommit : await rev(`refs/heads/${run.runBranch}`);
  const out = await runGit(['diff', '--no-color', '--no-ext-diff', '--no-textconv', from, to], { cwd: run.repoPath, maxOutputBytes: maxBytes });
  return { from, to, diff: out.stdout, truncated: out.truncated };
}

export async function releaseWorktree(run: RunRecord, record: AttemptRecord, layout: WorkspaceLayout): Promise<void> {
  if (record.released) return;
  await removeWorktreeFolder(run, record.path);
  layout.writeAttempt({ ...record, released: true });
}
