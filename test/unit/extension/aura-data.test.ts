// Parsing what the server's tools answer into what the views draw.
import assert from 'node:assert/strict';
import { approvalSchema, formatUsd, isFinished, parseList, parseOne, progressOf, runSchema, stateGroup, taskSchema } from '../../../webview-ui/protocol/aura-data';

describe('console data parsing', () => {
  it('reads a list under its key and drops items that fail the schema', () => {
    const runs = parseList({ runs: [{ id: 'r1', title: 'A', status: 'running' }, 'junk', { title: 'no id' }] }, 'runs', runSchema);
    assert.deepEqual(runs.map((r) => r.id), ['r1']);
  });

  it('reads a bare array and answers an empty list for anything else', () => {
    assert.equal(parseList([{ id: 1, title: 't', status: 'ready' }], 'tasks', taskSchema)[0]!.id, '1');
    assert.deepEqual(parseList(undefined, 'tasks', taskSchema), []);
    assert.deepEqual(parseList({ tasks: 'x' }, 'tasks', taskSchema), []);
  });

  it('reads one object bare or under its key', () => {
    assert.equal(parseOne({ run: { id: 'r2', title: 'B', status: 'paused' } }, 'run', runSchema)?.status, 'paused');
    assert.equal(parseOne({ id: 'r3', title: 'C', status: 'paused' }, 'run', runSchema)?.id, 'r3');
    assert.equal(parseOne({ nope: 1 }, 'run', runSchema), undefined);
  });

  it('groups the queue statuses by what they mean', () => {
    assert.equal(stateGroup('succeeded'), 'done');
    assert.equal(stateGroup('running'), 'running');
    assert.equal(stateGroup('dead_letter'), 'failed');
    assert.equal(stateGroup('awaiting_approval'), 'blocked');
    assert.equal(stateGroup('retry_wait'), 'blocked');
    assert.equal(stateGroup('ready'), 'waiting');
    assert.equal(stateGroup('skipped'), 'skipped');
    assert.equal(stateGroup('cancelled'), 'cancelled');
  });

  it('knows which statuses are final', () => {
    for (const s of ['succeeded', 'partial', 'failed', 'cancelled']) assert.ok(isFinished(s), s);
    for (const s of ['running', 'paused', 'awaiting_approval']) assert.ok(!isFinished(s), s);
  });

  it('counts progress from tasks when it has them, else from the run', () => {
    const run = runSchema.parse({ id: 'r', title: 't', status: 'running', progress: { total: 4, succeeded: 1 } });
    assert.deepEqual(progressOf(run), { done: 1, total: 4 });
    const tasks = ['succeeded', 'skipped', 'running'].map((status, i) => taskSchema.parse({ id: String(i), title: 't', status }));
    assert.deepEqual(progressOf(run, tasks), { done: 2, total: 3 });
  });

  it('formats money with cents, and sub-cent amounts with more digits', () => {
    assert.equal(formatUsd(1.5), '$1.50');
    assert.equal(formatUsd(0.0012), '$0.0012');
    assert.equal(formatUsd(undefined), '$0.00');
  });

  it('keeps an approval whose optional fields are null', () => {
    const a = approvalSchema.parse({ id: 'a1', runId: 'r1', taskId: null, kind: null, title: null });
    assert.equal(a.taskId, null);
    assert.equal(a.title, undefined);
  });

  it("titles an approval by the task it holds, with the policy's reason as its summary", () => {
    const a = approvalSchema.parse({ id: 'apr_1', kind: 'task', reason: 'Approval tasks wait for the Director', preview: { task: { title: 'Approve the payment provider' } } });
    assert.equal(a.title, 'Approve the payment provider');
    assert.equal(a.summary, 'Approval tasks wait for the Director');
    const b = approvalSchema.parse({ id: 'apr_2', subject: 'plan', reason: 'Plans over budget need approval' });
    assert.equal(b.title, 'Plans over budget need approval');
    assert.equal(b.kind, 'plan');
  });
});
