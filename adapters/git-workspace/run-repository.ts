// Opens a run's repository: an existing one given at submit, or a new one under $AURA_HOME/workspaces/<run>.
import fs from 'node:fs';
import path from 'node:path';
import { AuraError } from '../../core/domain/errors';
import { type OpenRunOptions, runBranchName } from '../../core/workspace/workspace';
import { git, runGit } from './git-cli';
import { assertAuraRef, committerEnv } from './refs';
import type { RunRecord, WorkspaceLayout } from './workspace-records';

async function isRepository(dir: string): Promise<string | null> {
  if (!fs.existsSync(dir)) return null;
  const out = await runGit(['rev-parse', '--show-toplevel'], { cwd: dir, okCodes: [0, 128] });
  return out.exitCode === 0 ? out.stdout.trim() : null;
}

async function isRepositoryRoot(dir: string): Promise<boolean> {
  const top = await isRepository(dir);
  return top !== null && top === fs.realpathSync(dir);
}

async function resolveCommit(repo: string, ref: string): Promise<string | null> {
  const out = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, okCodes: [0, 1, 128] });
  return out.exitCode === 0 ? out.stdout.trim() : null;
}

/** A commit of the empty tree, belonging to no branch: where a run on a repository without commits starts. */
async function emptyRootCommit(repo: string, runId: string): Promise<string> {
  const tree = await git(['mktree'], { cwd: repo, input: '' });
  return git(['commit-tree', tree, '-m', `Aura Orchestra: start of run ${runId}`], { cwd: repo, env: committerEnv() });
}

async function initRepository(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await git(['init', '--quiet', '--initial-branch=main', dir]);
}

/** Finds (or makes) the repository and the commit the run branch starts from. */
async function locateRepository(runId: string, options: OpenRunOptions, layout: WorkspaceLayout): Promise<{ repoPath: string; baseCommit: string; createdRepo: boolean }> {
  if (!options.repoPath) {
    const repoPath = layout.newRepoDir(runId);
    if (!(await isRepositoryRoot(repoPath))) await initRepository(repoPath);
    const base = (await resolveCommit(repoPath, 'refs/heads/main')) ?? (await emptyRootCommit(repoPath, runId));
    // The product made this repository, so giving its main branch the first commit touches nobody's work.
    await git(['update-ref', 'refs/heads/main', base], { cwd: repoPath });
    return { repoPath, baseCommit: base, createdRepo: true };
  }
  const given = path.resolve(options.repoPath);
  const stat = fs.statSync(given, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new AuraError('invalid_input', `Workspace path ${given} is a file; give a git repository or a folder.`);
  // An empty folder becomes a repository of its own, even inside another repository's tree.
  const empty = !stat || fs.readdirSync(given).length === 0;
  let repoPath = empty ? null : await isRepository(given);
  let createdRepo = false;
  if (!repoPath) {
    if (!empty) {
      throw new AuraError('invalid_input', `Workspace path ${given} is neither a git repository nor an empty folder; give a repository (it is never changed outside aura/ branches) or an empty folder.`);
    }
    await initRepository(given);
    repoPath = given;
    createdRepo = true;
  }
  const baseRef = options.baseRef ?? 'HEAD';
  let base = await resolveCommit(repoPath, baseRef);
  if (!base) {
    if (options.baseRef) throw new AuraError('invalid_input', `Base "${options.baseRef}" is not a commit of ${repoPath}.`);
    base = await emptyRootCommit(repoPath, runId);
  }
  return { repoPath, baseCommit: base, createdRepo };
}

export async function openRunRepository(runId: string, options: OpenRunOptions, layout: WorkspaceLayout): Promise<RunRecord> {
  const existing = layout.readRun(runId);
  if (existing) {
    if (options.repoPath && path.resolve(options.repoPath) !== existing.repoPath && (await isRepository(path.resolve(options.repoPath))) !== existing.repoPath) {
      throw new AuraError('conflict', `Run ${runId} already works on ${existing.repoPath}, not ${options.repoPath}.`);
    }
    return existing;
  }
  const { repoPath, baseCommit, createdRepo } = await locateRepository(runId, options, layout);
  const runBranch = runBranchName(runId);
  const ref = assertAuraRef(`refs/heads/${runBranch}`);
  // Create-only (empty old value): a run branch left by an earlier, interrupted open is kept as it is.
  const created = await runGit(['update-ref', ref, baseCommit, ''], { cwd: repoPath, okCodes: [0, 128] });
  // No record means no task ran yet, so a branch found here still points where that open started it.
  const startedAt = created.exitCode === 0 ? baseCommit : await git(['rev-parse', ref], { cwd: repoPath });
  fs.mkdirSync(layout.tasksDir(runId), { recursive: true, mode: 0o700 });
  return layout.createRun({ runId, repoPath, runBranch, baseCommit: startedAt, createdRepo });
}
