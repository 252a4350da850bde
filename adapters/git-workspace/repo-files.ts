// RepoFiles on the git CLI: `git ls-tree` of the run branch, or of HEAD of a repository given at submit.
import fs from 'node:fs';
import path from 'node:path';
import type { RepoFiles } from '../../core/workspace/repo-files';
import type { Workspace } from '../../core/workspace/workspace';
import { runGit } from './git-cli';

/** A plan only needs names to match against; more than this many are not read (the rest get the default scope). */
const MAX_FILES = 50_000;

export function createRepoFiles(workspace: Workspace): RepoFiles {
  return async ({ runId, repoPath }) => {
    const run = runId ? await workspace.getRun(runId) : null;
    if (run) return listTree(run.repoPath, run.runBranch);
    if (!repoPath || !fs.existsSync(path.join(repoPath, '.git'))) return [];
    return listTree(repoPath, 'HEAD');
  };
}

async function listTree(repo: string, ref: string): Promise<string[]> {
  // An empty repository has no HEAD yet: it has no files (exit 128 is that answer here).
  const out = await runGit(['ls-tree', '-r', '-z', '--name-only', '--full-tree', ref, '--'], { cwd: repo, okCodes: [0, 128], maxOutputBytes: 16 * 1024 * 1024 });
  if (out.exitCode !== 0) return [];
  return out.stdout.split('\0').filter(Boolean).slice(0, MAX_FILES);
}
