// Task attempts on the git workspace: worktrees from the run head, commits on their branch, merges and conflicts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import type { AttemptKey, Workspace } from '../../../core/workspace/workspace';

const author = { name: 'Employee Ada', email: 'ada@employees.aura.invalid' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH!, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();
}

describe('git workspace: task attempts', function () {
  this.timeout(30_000);
  let root: string;
  let ws: Workspace;
  let repo: string;
  const runId = 'run_t1';
  const key = (taskId: string, attempt = 1): AttemptKey => ({ runId, taskId, attempt });

  /** Prepares an attempt, writes files into its worktree as an employee would, and commits. */
  async function work(k: AttemptKey, files: Record<string, string>) {
    const wt = await ws.prepareTask(k);
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(wt.path, name)), { recursive: true });
      fs.writeFileSync(path.join(wt.path, name), content);
    }
    return { wt, commit: await ws.commitTask(k, `work on ${k.taskId}`, author) };
  }

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-wt-'));
    ws = createGitWorkspace({ workspacesDir: path.join(root, 'workspaces') });
    repo = (await ws.openRun(runId)).repoPath;
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives each attempt its own worktree on aura/task-<task>-a<attempt> at the run head, writable by any user', async () => {
    const wt = await ws.prepareTask(key('task_a', 2));
    assert.equal(wt.branch, 'aura/task-task_a-a2');
    assert.equal(wt.path, path.join(root, 'workspaces', runId, 'tasks', 'task_a-a2'));
    assert.equal(git(repo, 'rev-parse', wt.branch), await ws.runHead(runId));
    assert.equal(wt.baseCommit, await ws.runHead(runId));
    assert.equal(fs.statSync(wt.path).mode & 0o777, 0o777);
    assert.equal(fs.statSync(path.join(root, 'workspaces', runId, 'tasks')).mode & 0o777, 0o700, 'the folder above keeps other users out');
    assert.deepEqual(await ws.getTask(key('task_a', 2)), wt);
    assert.equal(await ws.getTask(key('task_a', 3)), null);
  });

  it('commits what the attempt changed on its branch, with the employee as author, and never .aura/', async () => {
    const { wt, commit } = await work(key('task_a'), { 'src/a.txt': 'A\n', '.aura/result.json': '{}', 'docs/x.md': 'x\n' });
    assert.equal(commit.changed, true);
    assert.deepEqual(commit.changedFiles, ['docs/x.md', 'src/a.txt']);
    assert.equal(git(repo, 'rev-parse', wt.branch), commit.commit);
    assert.equal(git(repo, 'log', '-1', '--format=%an <%ae> / %cn', commit.commit), 'Employee Ada <ada@employees.aura.invalid> / Aura Orchestra');
    assert.equal(git(repo, 'ls-tree', '-r', '--name-only', commit.commit), 'docs/x.md\nsrc/a.txt');
    assert.match(await ws.diffTask(key('task_a')), /\+A\n/);
  });

  it('reports an attempt that changed nothing, and merging it is a no-op', async () => {
    const { wt, commit } = await work(key('task_b'), {});
    assert.deepEqual(commit, { commit: wt.baseCommit, changed: false, changedFiles: [] });
    assert.deepEqual(await ws.mergeTask(key('task_b'), 'merge'), { status: 'nothing-to-merge', runHead: wt.baseCommit });
  });

  it('merges results into the run branch so that a dependent task starts from its dependency\'s work', async () => {
    await work(key('task_1'), { 'lib.txt': 'v1\n' });
    const merged = await ws.mergeTask(key('task_1'), 'Merge task_1');
    assert.equal(merged.status, 'merged');
    assert.equal(merged.status === 'merged' && merged.changedFiles.join(), 'lib.txt');
    const { wt } = await work(key('task_2'), { 'app.txt': 'uses lib\n' });
    assert.equal(fs.readFileSync(path.join(wt.path, 'lib.txt'), 'utf8'), 'v1\n');
    assert.equal((await ws.mergeTask(key('task_2'), 'Merge task_2')).status, 'merged');
    assert.deepEqual((await ws.runHistory(runId)).map((c) => c.subject), ['Merge task_1', 'Merge task_2']);
    const head = await ws.runHead(runId);
    assert.equal(git(repo, 'show', `${head}:lib.txt`), 'v1');
    assert.equal(git(repo, 'show', `${head}:app.txt`), 'uses lib');
  });

  it('applies a repeated merge once', async () => {
    await work(key('task_1'), { 'a.txt': '1\n' });
    const first = await ws.mergeTask(key('task_1'), 'Merge task_1');
    const again = await ws.mergeTask(key('task_1'), 'Merge task_1');
    assert.deepEqual(again, { status: 'already-merged', runHead: first.runHead });
    assert.equal((await ws.runHistory(runId)).length, 1);
  });

  it('reports a conflict with the conflicting files and markers as evidence, leaving the run branch untouched', async () => {
    await work(key('task_x'), { 'shared.txt': 'from x\n' });
    await work(key('task_y'), { 'shared.txt': 'from y\n', 'other.txt': 'y only\n' });
    assert.equal((await ws.mergeTask(key('task_x'), 'Merge task_x')).status, 'merged');
    const before = await ws.runHead(runId);
    const result = await ws.mergeTask(key('task_y'), 'Merge task_y');
    assert.equal(result.status, 'conflict');
    if (result.status !== 'conflict') return;
    assert.deepEqual(result.files, ['shared.txt']);
    assert.match(result.detail, /CONFLICT \(add\/add\)/);
    assert.match(result.detail, /<<<<<<< .*\n[\s\S]*from x[\s\S]*=======[\s\S]*from y[\s\S]*>>>>>>>/);
    assert.equal(await ws.runHead(runId), before);
    assert.equal(result.runHead, before);
  });

  it('lands every one of many merges made at the same time (the run branch moves by compare-and-swap)', async () => {
    const keys = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((t) => key(t));
    for (const k of keys) await work(k, { [`${k.taskId}.txt`]: `${k.taskId}\n` });
    const other = createGitWorkspace({ workspacesDir: path.join(root, 'workspaces') });
    const results = await Promise.all(keys.map((k, i) => (i % 2 ? other : ws).mergeTask(k, `Merge ${k.taskId}`)));
    assert.deepEqual(results.map((r) => r.status), keys.map(() => 'merged'));
    assert.equal(git(repo, 'ls-tree', '--name-only', await ws.runHead(runId)), 'p1.txt\np2.txt\np3.txt\np4.txt\np5.txt\np6.txt');
    assert.equal((await ws.runHistory(runId)).length, 6);
  });

  it("compares an attempt's commit with where it started and with the run branch now, also after its worktree is gone", async () => {
    const a = await work(key('task_a'), { 'a.txt': 'from a\n' });
    await ws.mergeTask(key('task_a'), 'Merge a');
    const b = await work(key('task_b'), { 'b.txt': 'from b\n', 'a.txt': 'a, changed by b\n' });
    await ws.releaseTask(key('task_b'));
    const base = await ws.compareTask(key('task_b'), 'base');
    assert.deepEqual([base.from, base.to], [b.wt.baseCommit, b.commit.commit]);
    assert.match(base.diff, /^-from a$/m);
    assert.match(base.diff, /^\+a, changed by b$/m);
    assert.match(base.diff, /^\+\+\+ b\/b\.txt$/m);
    assert.equal(base.truncated, false);
    // Against the run branch now: b is not merged yet, so the run branch lacks what b did.
    const run = await ws.compareTask(key('task_b'), 'run');
    assert.equal(run.from, await ws.runHead(runId));
    assert.match(run.diff, /^\+from b$/m);
    await ws.mergeTask(key('task_b'), 'Merge b');
    assert.equal((await ws.compareTask(key('task_b'), 'run')).diff, '', 'merged: the run branch holds all of it');
    assert.equal((await ws.compareTask(key('task_a'), 'base')).diff.includes('+from a'), true, a.commit.commit);
    await assert.rejects(ws.compareTask(key('task_never'), 'base'), /never prepared/);
  });

  it('starts a prepared-again attempt clean, and merges an attempt after its worktree was released', async () => {
    const wt = await ws.prepareTask(key('task_r'));
    fs.writeFileSync(path.join(wt.path, 'leftover.txt'), 'from an interrupted try\n');
    const again = await ws.prepareTask(key('task_r'));
    assert.equal(fs.existsSync(path.join(again.path, 'leftover.txt')), false);
    fs.writeFileSync(path.join(again.path, 'done.txt'), 'done\n');
    await ws.commitTask(key('task_r'), 'done', author);
    await ws.releaseTask(key('task_r'));
    assert.equal(fs.existsSync(again.path), false);
    assert.equal(await ws.getTask(key('task_r')), null);
    assert.equal((await ws.mergeTask(key('task_r'), 'Merge task_r')).status, 'merged');
    await assert.rejects(ws.commitTask(key('task_r'), 'more', author), /released/);
  });

  it('ignores a .git file or folder planted in the worktree by the container: commits still land on the attempt branch', async () => {
    const wt = await ws.prepareTask(key('task_evil'));
    const marker = path.join(root, 'hook-ran');
    const fake = path.join(wt.path, 'fakegit');
    fs.mkdirSync(fake);
    git(fake, 'init', '-q', '--bare');
    fs.appendFileSync(path.join(fake, 'config'), `[core]\n\tfsmonitor = touch ${marker}\n\thooksPath = ${fake}/hooks\n`);
    fs.writeFileSync(path.join(fake, 'hooks', 'pre-commit'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    fs.rmSync(path.join(wt.path, '.git'));
    fs.writeFileSync(path.join(wt.path, '.git'), `gitdir: ${fake}\n`);
    fs.writeFileSync(path.join(wt.path, 'work.txt'), 'real work\n');
    const commit = await ws.commitTask(key('task_evil'), 'work', author);
    assert.equal(fs.existsSync(marker), false, 'nothing the container planted ran on the host');
    assert.equal(git(repo, 'rev-parse', wt.branch), commit.commit);
    assert.ok(commit.changedFiles.includes('work.txt'));
  });
});
