// Merges an attempt's branch into the run branch without a checkout: merge-tree, commit-tree, compare-and-swap.
import { AuraError } from '../../core/domain/errors';
import type { MergeResult } from '../../core/workspace/workspace';
import { git, runGit, splitNul } from './git-cli';
import { assertAuraRef, committerEnv } from './refs';
import type { AttemptRecord, RunRecord } from './workspace-records';

const MAX_CONFLICT_DETAIL = 64 * 1024;
/** Another process may move the run branch between our read and our write; we then merge again on its new head. */
const MAX_RACES = 20;

interface MergeTree {
  clean: boolean;
  tree: string;
  files: string[];
  messages: string;
}

/** `git merge-tree --write-tree` prints the tree, then (on conflict) the conflicted paths, a blank line and messages. */
async function mergeTree(repo: string, ours: string, theirs: string): Promise<MergeTree> {
  const out = await runGit(['merge-tree', '--write-tree', '--name-only', ours, theirs], { cwd: repo, okCodes: [0, 1] });
  const [tree, ...rest] = out.stdout.split('\n');
  if (!tree || !/^[0-9a-f]{40,64}$/.test(tree)) throw new AuraError('internal', `git merge-tree gave no tree: ${out.stderr || out.stdout}`);
  if (out.exitCode === 0) return { clean: true, tree, files: [], messages: '' };
  const blank = rest.indexOf('');
  const names = blank >= 0 ? rest.slice(0, blank) : rest;
  const messages = blank >= 0 ? rest.slice(blank + 1).join('\n') : '';
  return { clean: false, tree, files: [...new Set(names)].sort(), messages };
}

async function isAncestor(repo: string, commit: string, of: string): Promise<boolean> {
  return (await runGit(['merge-base', '--is-ancestor', commit, of], { cwd: repo, okCodes: [0, 1] })).exitCode === 0;
}

/** The conflict as the Director would want to see it: git's messages and the files with their conflict markers. */
async function conflictDetail(repo: string, ours: string, conflicted: MergeTree): Promise<string> {
  const diff = await runGit(['diff', '--no-color', '--no-ext-diff', '--no-textconv', ours, conflicted.tree, '--', ...conflicted.files], { cwd: repo, maxOutputBytes: MAX_CONFLICT_DETAIL });
  return `${conflicted.messages.trim()}\n\n${diff.stdout}${diff.truncated ? `\n[conflict diff truncated at ${MAX_CONFLICT_DETAIL} bytes]\n` : ''}`;
}

export async function mergeAttempt(run: RunRecord, record: AttemptRecord, message: string): Promise<MergeResult> {
  const repo = run.repoPath;
  const runRef = assertAuraRef(`refs/heads/${run.runBranch}`);
  const taskHead = await git(['rev-parse', '--verify', `refs/heads/${record.branch}^{commit}`], { cwd: repo });
  for (let race = 0; race < MAX_RACES; race++) {
    const runHead = await git(['rev-parse', '--verify', `${runRef}^{commit}`], { cwd: repo });
    if (taskHead === record.baseCommit) return { status: 'nothing-to-merge', runHead };
    if (await isAncestor(repo, taskHead, runHead)) return { status: 'already-merged', runHead };
    const merged = await mergeTree(repo, runHead, taskHead);
    if (!merged.clean) return { status: 'conflict', runHead, files: merged.files, detail: await conflictDetail(repo, runHead, merged) };
    const commit = await git(['commit-tree', merged.tree, '-p', runHead, '-p', taskHead, '-m', message], { cwd: repo, env: committerEnv() });
    // Moves the run branch only if it is still where we read it (compare-and-swap across processes).
    const moved = await runGit(['update-ref', '-m', `aura: merge ${record.branch}`, runRef, commit, runHead], { cwd: repo, okCodes: [0, 1, 128] });
    if (moved.exitCode === 0) {
      const changedFiles = splitNul(await git(['diff', '--name-only', '-z', runHead, commit], { cwd: repo })).sort();
      return { status: 'merged', runHead: commit, changedFiles };
    }
  }
  throw new AuraError('unavailable', `The run branch ${run.runBranch} kept moving; ${record.branch} could not be merged after ${MAX_RACES} tries.`);
}
