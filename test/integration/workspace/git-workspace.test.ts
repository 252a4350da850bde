// The git workspace on real repositories: run branches, per-attempt worktrees, commits, merges and conflicts.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import { AuraError } from '../../../core/domain/errors';
import type { Workspace } from '../../../core/workspace/workspace';

const author = { name: 'Employee Ada', email: 'ada@employees.aura.invalid' };

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH!, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'u', GIT_AUTHOR_EMAIL: 'u@x', GIT_COMMITTER_NAME: 'u', GIT_COMMITTER_EMAIL: 'u@x' } }).trim();
}

/** A user's repository with two commits on main, a feature branch and an uncommitted change. */
function userRepository(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  sh(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'README.md'), '# project\n');
  sh(dir, 'add', '.');
  sh(dir, 'commit', '-qm', 'first');
  sh(dir, 'branch', 'feature');
  fs.writeFileSync(path.join(dir, 'app.txt'), 'line 1\n');
  sh(dir, 'add', '.');
  sh(dir, 'commit', '-qm', 'second');
  fs.writeFileSync(path.join(dir, 'README.md'), '# project (edited, not committed)\n');
  return dir;
}

function refsOutsideAura(repo: string): string {
  return sh(repo, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/').split('\n').filter((l) => !l.startsWith('refs/heads/aura/')).join('\n');
}

async function rejects(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(AuraError.is(error), `expected an AuraError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

describe('git workspace', function () {
  this.timeout(30_000);
  let root: string;
  let ws: Workspace;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ws-'));
    ws = createGitWorkspace({ workspacesDir: path.join(root, 'home', 'workspaces') });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates a new repository under workspaces/<run> with the run branch when no path is given', async () => {
    const info = await ws.openRun('run_a1');
    assert.equal(info.repoPath, path.join(root, 'home', 'workspaces', 'run_a1', 'repo'));
    assert.equal(info.runBranch, 'aura/run-run_a1');
    assert.equal(info.createdRepo, true);
    assert.equal(sh(info.repoPath, 'rev-parse', 'aura/run-run_a1'), info.baseCommit);
    assert.deepEqual(await ws.openRun('run_a1'), info, 'opening again returns the same workspace');
    assert.deepEqual(await ws.getRun('run_a1'), info);
    assert.equal(await ws.getRun('run_never'), null);
  });

  it('starts the run branch at the HEAD of a given repository and never moves its own branches, index or files', async () => {
    const repo = userRepository(path.join(root, 'user-repo'));
    const before = { refs: refsOutsideAura(repo), status: sh(repo, 'status', '--porcelain'), head: sh(repo, 'symbolic-ref', 'HEAD') };
    const info = await ws.openRun('run_b1', { repoPath: repo });
    assert.equal(info.baseCommit, sh(repo, 'rev-parse', 'main'));
    assert.equal(info.createdRepo, false);
    const key = { runId: 'run_b1', taskId: 'task_1', attempt: 1 };
    const wt = await ws.prepareTask(key);
    fs.writeFileSync(path.join(wt.path, 'app.txt'), 'line 1\nline 2\n');
    await ws.commitTask(key, 'task 1', author);
    assert.equal((await ws.mergeTask(key, 'Merge task 1')).status, 'merged');
    await ws.releaseTask(key);
    assert.deepEqual({ refs: refsOutsideAura(repo), status: sh(repo, 'status', '--porcelain'), head: sh(repo, 'symbolic-ref', 'HEAD') }, before);
    assert.equal(fs.readFileSync(path.join(repo, 'app.txt'), 'utf8'), 'line 1\n', 'the checked-out files are untouched');
  });

  it('can start from another base ref, and refuses one that is not a commit', async () => {
    const repo = userRepository(path.join(root, 'user-repo'));
    const info = await ws.openRun('run_b2', { repoPath: repo, baseRef: 'feature' });
    assert.equal(info.baseCommit, sh(repo, 'rev-parse', 'feature'));
    await rejects(ws.openRun('run_b3', { repoPath: repo, baseRef: 'no-such-branch' }), 'invalid_input', /not a commit/);
  });

  it('refuses a folder that is neither a repository nor empty, and a path that is a file', async () => {
    const dir = path.join(root, 'stuff');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    await rejects(ws.openRun('run_c1', { repoPath: dir }), 'invalid_input', /neither a git repository nor an empty folder/);
    await rejects(ws.openRun('run_c2', { repoPath: path.join(dir, 'notes.txt') }), 'invalid_input', /is a file/);
  });

  it('starts a repository without commits from an empty root commit, leaving its unborn branch unborn', async () => {
    const repo = path.join(root, 'fresh');
    fs.mkdirSync(repo);
    sh(repo, 'init', '-q', '-b', 'trunk');
    const info = await ws.openRun('run_d1', { repoPath: repo });
    assert.equal(sh(repo, 'ls-tree', info.baseCommit), '');
    assert.notEqual(spawnSync('git', ['rev-parse', '--verify', '--quiet', 'refs/heads/trunk'], { cwd: repo }).status, 0, 'trunk has still no commit');
    assert.equal(sh(repo, 'symbolic-ref', 'HEAD'), 'refs/heads/trunk');
  });

  it('refuses ids that cannot name a branch or folder', async () => {
    await rejects(ws.openRun('../escape'), 'invalid_input');
    await ws.openRun('run_e1');
    await rejects(ws.prepareTask({ runId: 'run_e1', taskId: 'a/b', attempt: 1 }), 'invalid_input');
    await rejects(ws.prepareTask({ runId: 'run_e1', taskId: 't', attempt: 0 }), 'invalid_input');
    await rejects(ws.prepareTask({ runId: 'run_unknown', taskId: 't', attempt: 1 }), 'not_found');
  });
});
