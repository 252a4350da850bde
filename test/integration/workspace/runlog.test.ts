// Runlogs of task attempts: kept in the database (both stores) and in snapshots/<task>/runlog.txt, redacted and clipped.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { employeeProfileSchema } from '../../../core/workforce/employee';
import type { Assignment } from '../../../core/workforce/worker';
import { createRunlogs, RUNLOG_MAX_STREAM } from '../../../core/workforce/workers/runlog';
import { planTaskSchema } from '../../../core/manager/plan-schema';
import { describeStores } from '../../support/stores';

function assignmentFor(taskId: string, attempt: number): Assignment {
  return {
    runId: 'run_rl',
    taskId,
    attempt,
    idempotencyKey: `run_rl_${taskId}_${attempt}`,
    task: planTaskSchema.parse({ id: 'k', title: 'Runlog task', kind: 'code' }),
    employee: { id: 'emp_rl', profile: employeeProfileSchema.parse({ name: 'Rho', provider: 'cli', model: 'script', command: ['true'] }), status: 'active', tier: 'junior', hiredAt: new Date(), workspaceId: 'default' },
    context: { runTitle: 'r', dependencies: [] },
    deadline: Date.now() + 60_000,
  };
}

describeStores('task runlogs', (ctx) => {
  let home: string;
  before(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-runlog-'))));
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('keeps every entry in order in the database and in snapshots/<task>/runlog.txt', async () => {
    const runlogs = createRunlogs({ store: ctx.store, snapshotsDir: path.join(home, 'snapshots') });
    const log = await runlogs.open(assignmentFor('task_rl1', 1));
    await log.add({ kind: 'command', command: 'npm test', exitCode: 1, durationMs: 12.6, reason: 'exited', stdout: 'out\n', stderr: 'err\u0000x\n' });
    await log.add({ kind: 'note', command: 'result refused', detail: { why: 'x' } });
    const read = await runlogs.read('task_rl1', 1);
    assert.deepEqual(
      read.map((e) => [e.seq, e.kind, e.command, e.exitCode, e.durationMs, e.stdout, e.stderr]),
      [
        [1, 'command', 'npm test', 1, 13, 'out\n', 'err\uFFFDx\n'],
        [2, 'note', 'result refused', undefined, undefined, undefined, undefined],
      ],
    );
    assert.deepEqual(read[1]!.detail, { why: 'x' });
    const text = fs.readFileSync(runlogs.fileOf('task_rl1'), 'utf8');
    assert.match(text, /=== k "Runlog task" · attempt 1 · Rho \(emp_rl, cli\/script\)/);
    assert.match(text, /#1 command \$ npm test {2}\(exit 1, 12\.6 ms\)\n--- stdout\nout\n--- stderr\nerr\uFFFDx\n/);
  });

  it('continues the numbering when the same attempt runs again, and keeps attempts apart', async () => {
    const runlogs = createRunlogs({ store: ctx.store, snapshotsDir: path.join(home, 'snapshots') });
    await (await runlogs.open(assignmentFor('task_rl2', 1))).add({ kind: 'command', command: 'a' });
    await (await runlogs.open(assignmentFor('task_rl2', 1))).add({ kind: 'command', command: 'b' });
    await (await runlogs.open(assignmentFor('task_rl2', 2))).add({ kind: 'command', command: 'c' });
    assert.deepEqual((await runlogs.read('task_rl2')).map((e) => `${e.attempt}.${e.seq} ${e.command}`), ['1.1 a', '1.2 b', '2.1 c']);
  });

  it('masks the values it is told to and clips huge output in the middle', async () => {
    const runlogs = createRunlogs({ store: ctx.store, snapshotsDir: path.join(home, 'snapshots') });
    const log = await runlogs.open(assignmentFor('task_rl3', 1), ['s3cr3t-value']);
    await log.add({ kind: 'command', command: 'echo s3cr3t-value', stdout: `key=s3cr3t-value\n${'y'.repeat(RUNLOG_MAX_STREAM + 10)}` });
    const [entry] = await runlogs.read('task_rl3');
    assert.equal(entry!.command, 'echo ***');
    assert.ok(entry!.stdout!.startsWith('key=***\n'));
    assert.match(entry!.stdout!, /\[\.\.\. \d+ characters dropped \.\.\.\]/);
    assert.equal(entry!.truncated, true);
    assert.doesNotMatch(fs.readFileSync(runlogs.fileOf('task_rl3'), 'utf8'), /s3cr3t/);
  });

  it('refuses a task id that could name a folder outside snapshots/', () => {
    const runlogs = createRunlogs({ store: ctx.store, snapshotsDir: path.join(home, 'snapshots') });
    assert.throws(() => runlogs.fileOf('../../etc'), /cannot name a snapshot folder/);
  });
});
