// Attempts in their own worktrees, committed by withWorkspace and merged by withMergeOnAccept once accepted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import { openGovernance } from '../../../core/manager/governance-port';
import { planTaskSchema } from '../../../core/manager/plan-schema';
import { employeeProfileSchema, type Employee } from '../../../core/workforce/employee';
import type { Assignment, BaseModelWorker, WorkResult } from '../../../core/workforce/worker';
import { withMergeOnAccept } from '../../../core/workspace/merge-on-accept';
import { withWorkspace } from '../../../core/workspace/with-workspace';
import type { Workspace } from '../../../core/workspace/workspace';

const telemetry = { tokensIn: 0, tokensOut: 0, latencyMs: 0, costUsd: 0, model: 'in-process' };
const emp: Employee = { id: 'emp_ip', profile: employeeProfileSchema.parse({ name: 'Ines', provider: 'in-process', model: 'files' }), status: 'active', tier: 'junior', hiredAt: new Date(), workspaceId: 'default' };

/** An in-process employee that writes the files the task's description lists as JSON. */
const fileWriter: BaseModelWorker = {
  capabilities: { provider: 'in-process', model: 'files', kinds: ['code'], structuredOutput: false, isolated: false },
  async execute(a, context) {
    const files = JSON.parse(a.task.description) as Record<string, string>;
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(context.workdir!, name), content);
    return { status: 'succeeded', summary: `wrote ${Object.keys(files).join(', ')}`, telemetry } satisfies WorkResult;
  },
  cancel: async () => undefined,
};

function assignment(runId: string, taskId: string, files: Record<string, string>, attempt = 1): Assignment {
  return { runId, taskId, attempt, idempotencyKey: `${runId}_${taskId}_${attempt}`, task: planTaskSchema.parse({ id: taskId.replace('task_', 'k-'), title: `Write ${Object.keys(files).join(', ')}`, kind: 'code', description: JSON.stringify(files) }), employee: emp, context: { runTitle: 'merge test', dependencies: [] }, deadline: Date.now() + 60_000 };
}

describe('attempts committed on their branch and merged on acceptance', function () {
  this.timeout(30_000);
  let home: string;
  let workspace: Workspace;
  const signal = new AbortController().signal;
  const context = { signal, progress: () => undefined };

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-merge-'));
    workspace = createGitWorkspace({ workspacesDir: path.join(home, 'workspaces') });
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('commits the attempt, merges it once accepted, and a dependent task starts from the merged work', async () => {
    const worker = withWorkspace(() => fileWriter, { workspace })(emp);
    const governance = withMergeOnAccept(openGovernance, { workspace });
    const first = assignment('run_m1', 'task_one', { 'lib.txt': 'lib v1\n' });
    const r1 = await worker.execute(first, context);
    assert.ok(r1.commit, 'the result names its commit');
    assert.deepEqual(await governance.verify(first, r1), { passed: true });
    assert.equal(await workspace.getTask({ runId: 'run_m1', taskId: 'task_one', attempt: 1 }), null, 'merged attempts release their worktree');
    const dependent = assignment('run_m1', 'task_two', { 'app.txt': 'app\n' });
    const seen: string[] = [];
    const spy = withWorkspace(() => ({ ...fileWriter, execute: async (a, c) => (seen.push(fs.readFileSync(path.join(c.workdir!, 'lib.txt'), 'utf8')), fileWriter.execute(a, c)) }), { workspace })(emp);
    const r2 = await spy.execute(dependent, context);
    assert.deepEqual(seen, ['lib v1\n']);
    assert.deepEqual(await governance.verify(dependent, r2), { passed: true });
    const repo = (await workspace.getRun('run_m1'))!.repoPath;
    const log = execFileSync('git', ['log', '--first-parent', '--format=%s', 'aura/run-run_m1'], { cwd: repo, encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(log.slice(0, 2), ['Merge k-two: Write app.txt', 'Merge k-one: Write lib.txt']);
    assert.match(execFileSync('git', ['log', '-1', '--format=%an|%B', r1.commit!], { cwd: repo, encoding: 'utf8' }), /^Ines\|k-one: Write lib.txt\n\nwrote lib.txt\n\nAura-Run: run_m1\nAura-Task: task_one\nAura-Attempt: 1\nAura-Employee: emp_ip/);
  });

  it('turns a merge conflict into a failed, retryable verdict with the conflict as evidence', async () => {
    const worker = withWorkspace(() => fileWriter, { workspace })(emp);
    const governance = withMergeOnAccept(openGovernance, { workspace });
    const a = assignment('run_m2', 'task_a', { 'shared.txt': 'from a\n' });
    const b = assignment('run_m2', 'task_b', { 'shared.txt': 'from b\n' });
    const [ra, rb] = await Promise.all([worker.execute(a, context), worker.execute(b, context)]);
    assert.deepEqual(await governance.verify(a, ra), { passed: true });
    const verdict = await governance.verify(b, rb);
    assert.equal(verdict.passed, false);
    assert.equal(verdict.retryable, true);
    assert.match(verdict.reason!, /^Merge conflict: k-b \(attempt 1\) conflicts with aura\/run-run_m2 in shared\.txt\./);
    assert.match(verdict.reason!, /<<<<<<<[\s\S]*from a[\s\S]*from b/);
    const retry = assignment('run_m2', 'task_b', { 'shared.txt': 'from a\nand b\n' }, 2);
    const rr = await worker.execute(retry, context);
    assert.deepEqual(await governance.verify(retry, rr), { passed: true }, 'the retry starts from the new run head and merges');
  });

  it('does not merge what verification rejected, and frees its worktree', async () => {
    const worker = withWorkspace(() => fileWriter, { workspace })(emp);
    const rejecting = withMergeOnAccept({ ...openGovernance, verify: async () => ({ passed: false, reason: 'checks failed', retryable: true }) }, { workspace });
    const a = assignment('run_m3', 'task_x', { 'x.txt': 'x\n' });
    await worker.execute(a, context);
    const before = await workspace.runHead('run_m3');
    assert.equal((await rejecting.verify(a, { status: 'succeeded', summary: 's', telemetry })).passed, false);
    assert.equal(await workspace.runHead('run_m3'), before);
    assert.equal(await workspace.getTask({ runId: 'run_m3', taskId: 'task_x', attempt: 1 }), null);
  });

  it('takes a folder the Manager passes as the run\'s repository and still gives the employee its own worktree', async () => {
    const repo = path.join(home, 'target');
    fs.mkdirSync(repo);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    fs.writeFileSync(path.join(repo, 'README.md'), 'target\n');
    execFileSync('git', ['add', '.'], { cwd: repo });
    execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', 'commit', '-qm', 'init'], { cwd: repo });
    const seen: string[] = [];
    const worker = withWorkspace(() => ({ ...fileWriter, execute: async (a, c) => (seen.push(c.workdir!), fileWriter.execute(a, c)) }), { workspace })(emp);
    const a = assignment('run_m5', 'task_p', { 'new.txt': 'new\n' });
    const result = await worker.execute(a, { ...context, workdir: repo });
    assert.notEqual(seen[0], repo, 'the employee never works in the target repository itself');
    assert.equal(seen[0], path.join(home, 'workspaces', 'run_m5', 'tasks', 'task_p-a1'));
    assert.equal((await workspace.getRun('run_m5'))!.repoPath, fs.realpathSync(repo));
    assert.equal(execFileSync('git', ['show', `${result.commit}:README.md`], { cwd: repo, encoding: 'utf8' }), 'target\n');
    assert.equal(fs.existsSync(path.join(repo, 'new.txt')), false, 'the target\'s working tree is untouched');
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }), '');
  });

  it('keeps a failed attempt\'s work on its branch and never merges it', async () => {
    const failing = withWorkspace(() => ({ ...fileWriter, execute: async (a, c) => ({ ...(await fileWriter.execute(a, c)), status: 'failed' as const, summary: 'gave up' }) }), { workspace })(emp);
    const a = assignment('run_m4', 'task_f', { 'half.txt': 'half done\n' });
    const result = await failing.execute(a, context);
    assert.equal(result.status, 'failed');
    const repo = (await workspace.getRun('run_m4'))!.repoPath;
    assert.equal(execFileSync('git', ['show', `aura/task-task_f-a1:half.txt`], { cwd: repo, encoding: 'utf8' }), 'half done\n');
    assert.equal(await workspace.getTask({ runId: 'run_m4', taskId: 'task_f', attempt: 1 }), null);
    assert.deepEqual(await workspace.runHistory('run_m4'), []);
  });
});
