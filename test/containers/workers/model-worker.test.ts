// The model worker on a real engine: a stand-in OpenAI endpoint plans, the plan is applied inside the employee's container.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createModelProvider } from '../../../adapters/model-providers';
import { AuraError } from '../../../core/domain/errors';
import { type CallRecorder, createCallRecorder } from '../../../core/replay/call-recorder';
import type { BaseModelWorker } from '../../../core/workforce/worker';
import type { CommandGate } from '../../../core/workforce/workers/attempt-container';
import { createModelWorker } from '../../../core/workforce/workers/model-worker';
import { withWorkspace } from '../../../core/workspace/with-workspace';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { assignment, employee, everythingRecorded, useWorkerSuite, workContext } from './worker-harness';

const KEY = 'sk-stand-in-model-worker-5e1f0c2d9a8b';

const plan = (summary: string, actions: unknown[]) => ({ kind: 'answer' as const, text: JSON.stringify({ summary, actions }), tokensIn: 120, tokensOut: 40 });

describe('model worker (real containers, OpenAI stand-in)', function () {
  this.timeout(60_000);
  const suite = useWorkerSuite();
  let standIn: StandIn;

  before(async () => {
    standIn = await startOpenAIStandIn({ apiKey: KEY });
  });
  after(async () => standIn?.close());
  beforeEach(() => standIn.reset());

  function worker(overrides: Record<string, unknown> = {}, recorder?: CallRecorder, commandGate?: CommandGate): { worker: BaseModelWorker; emp: ReturnType<typeof employee> } {
    const emp = employee({ provider: 'openai', baseUrl: `${standIn.url}/v1`, apiKeyRef: 'env:WORKER_SUITE_OPENAI_KEY', costTable: { inputPerMTok: 2, outputPerMTok: 8 }, ...overrides });
    const provider = createModelProvider(emp.profile, { secrets: { env: { WORKER_SUITE_OPENAI_KEY: KEY } }, retry: { maxAttempts: 1 }, recorder });
    const factory = withWorkspace(() => createModelWorker({ runtime: suite.runtime, defaultImage: suite.image, events: suite.events, employee: emp, provider, runlogs: suite.runlogs, recorder, commandGate }), { workspace: suite.workspace });
    return { worker: factory(emp), emp };
  }

  it('applies the planned file change inside the container and commits it on the attempt branch', async () => {
    const { worker: w, emp } = worker();
    const a = assignment(emp, { scope: ['hello.txt'], acceptance: { criteria: [], commands: ['test "$(cat hello.txt)" = "hello from the model"'] } });
    standIn.enqueue(plan('Wrote hello.txt', [{ type: 'write_file', path: 'hello.txt', content: 'hello from the model\n' }, { type: 'run', command: 'id -u; cat hello.txt' }]));
    const result = await w.execute(a, workContext());
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(result.claimsChecksPassed, true);
    assert.ok(result.commit);
    const wt = { runId: a.runId, taskId: a.taskId, attempt: 1 };
    const repo = (await suite.workspace.getRun(a.runId))!.repoPath;
    assert.equal(execFileSync('git', ['show', `${result.commit}:hello.txt`], { cwd: repo, encoding: 'utf8' }), 'hello from the model\n');
    assert.equal(execFileSync('git', ['rev-parse', `aura/task-${a.taskId}-a1`], { cwd: repo, encoding: 'utf8' }).trim(), result.commit);
    assert.deepEqual(result.telemetry, { tokensIn: 120, tokensOut: 40, costUsd: (120 * 2 + 40 * 8) / 1e6, latencyMs: result.telemetry.latencyMs, model: 'stand-in-model' });
    const entries = await suite.runlogs.read(a.taskId, 1);
    assert.deepEqual(entries.map((e) => e.kind), ['model', 'write', 'command', 'check']);
    const idRun = entries[2]!;
    assert.equal(idRun.exitCode, 0);
    assert.match(idRun.stdout ?? '', /^65534\nhello from the model\n$/, 'the command ran in the container, as its unprivileged user');
    assert.ok(idRun.durationMs !== undefined && idRun.durationMs >= 0);
    assert.ok(await suite.workspace.getTask(wt), 'a succeeded attempt keeps its worktree until it is merged');
    const types = (await suite.events.query({ taskId: a.taskId })).map((e) => e.type);
    assert.deepEqual(types, ['ToolCalled', 'ToolSucceeded', 'ToolCalled', 'ToolSucceeded', 'ToolCalled', 'ToolSucceeded']);
  });

  it('keeps the API key on the host: the request carried it, the container, runlog and events never did', async () => {
    const { worker: w, emp } = worker();
    const a = assignment(emp, { scope: ['env.txt'] });
    standIn.enqueue(plan('Dumped the environment', [{ type: 'run', command: 'env > env.txt; cat env.txt' }]));
    const result = await w.execute(a, workContext());
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(standIn.calls[0]!.headers.authorization, `Bearer ${KEY}`);
    const repo = (await suite.workspace.getRun(a.runId))!.repoPath;
    const env = execFileSync('git', ['show', `${result.commit}:env.txt`], { cwd: repo, encoding: 'utf8' });
    assert.match(env, /HOME=\/tmp/);
    assert.doesNotMatch(env, /sk-stand-in|WORKER_SUITE/);
    assert.doesNotMatch(await everythingRecorded(suite, a.runId, [a.taskId]), /sk-stand-in/);
  });

  it('records the model call and every command with its outcome when recording', async () => {
    const recorder = createCallRecorder({ store: suite.store, mode: 'record' });
    const { worker: w, emp } = worker({ model: 'recorded-model' }, recorder);
    const a = assignment(emp, { scope: ['r.txt'] });
    standIn.enqueue(plan('Recorded', [{ type: 'write_file', path: 'r.txt', content: 'r\n' }, { type: 'run', command: 'cat r.txt' }]));
    assert.equal((await w.execute(a, workContext())).status, 'succeeded');
    const rows = await suite.store.query<{ kind: string; provider: string; model: string; params_json: string; outcome_json: string }>(
      `SELECT kind, provider, model, params_json, outcome_json FROM aura.call_records WHERE model IN ('recorded-model', 'write_file', 'shell') ORDER BY recorded_at`,
    );
    assert.deepEqual(rows.rows.map((r) => `${r.kind} ${r.provider} ${r.model}`), ['model openai recorded-model', 'tool tool write_file', 'tool tool shell']);
    assert.equal(JSON.parse(rows.rows[2]!.params_json).command, 'cat r.txt');
    assert.equal(JSON.parse(rows.rows[2]!.outcome_json).value.stdout, 'r\n');
    assert.doesNotMatch(JSON.stringify(rows.rows), /sk-stand-in/);
  });

  it('shows the model a failed acceptance command and applies its fix in the next round', async () => {
    const { worker: w, emp } = worker();
    const a = assignment(emp, { scope: ['src/**'], acceptance: { criteria: [], commands: ['node src/check.js'] } });
    standIn.enqueue(
      plan('First try', [{ type: 'write_file', path: 'src/check.js', content: 'process.exit(3)\n' }]),
      plan('Fixed', [{ type: 'write_file', path: 'src/check.js', content: 'console.log("ok")\n' }]),
    );
    const result = await w.execute(a, workContext());
    assert.equal(result.status, 'succeeded', result.summary);
    const second = standIn.calls[1]!.body as { messages: Array<{ role: string; content: string }> };
    assert.match(second.messages.at(-1)!.content, /node src\/check\.js {2}\(exit 3\)/);
    assert.equal(result.telemetry.tokensIn, 240);
  });

  it('refuses a plan that writes outside the task scope without applying any of it, and says why', async () => {
    const { worker: w, emp } = worker({}, );
    const a = assignment(emp, { scope: ['docs/*.md'] });
    standIn.enqueue(
      plan('Sneaky', [{ type: 'write_file', path: 'docs/a.md', content: 'a\n' }, { type: 'write_file', path: '.github/workflows/x.yml', content: 'x' }]),
      plan('Sneaky', [{ type: 'write_file', path: '../outside.txt', content: 'x' }]),
      plan('Still sneaky', [{ type: 'write_file', path: 'src/x.ts', content: 'x' }]),
    );
    const result = await w.execute(a, workContext());
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /outside the task's scope: src\/x\.ts/);
    assert.equal(result.commit, undefined, 'nothing was written');
    const feedback = (standIn.calls[1]!.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content;
    assert.match(feedback, /\.github\/workflows\/x\.yml/);
    assert.match((standIn.calls[2]!.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content, /leaves the workspace/);
  });

  it('asks the policy gate before every write and command, and a denied command never runs', async () => {
    const asked: string[] = [];
    const gate: CommandGate = async (request) => {
      asked.push(`${request.name}:${request.command || request.paths.join(',')}`);
      return /rm -rf/.test(request.command) ? { action: 'deny', rule: 'forbidden-commands', reason: 'destroys the system' } : { action: 'allow' };
    };
    const { worker: w, emp } = worker({}, undefined, gate);
    const a = assignment(emp, { scope: ['a.txt'] });
    standIn.enqueue(plan('Mixed', [{ type: 'write_file', path: 'a.txt', content: 'a\n' }, { type: 'run', command: 'rm -rf / --no-preserve-root' }, { type: 'run', command: 'echo never' }]));
    await assert.rejects(w.execute(a, workContext()), (e: unknown) => AuraError.is(e, 'policy_denied') && /forbidden-commands/.test((e as Error).message));
    assert.deepEqual(asked, ['write_file:a.txt', 'shell:rm -rf / --no-preserve-root']);
    const entries = await suite.runlogs.read(a.taskId, 1);
    assert.deepEqual(entries.map((e) => [e.kind, e.reason]), [['model', 'stop'], ['write', 'exited'], ['command', 'denied']]);
    const failed = (await suite.events.query({ taskId: a.taskId })).filter((e) => e.type === 'ToolFailed');
    assert.match(JSON.stringify(failed[0]!.payload), /denied by policy rule forbidden-commands/);
  });

  it('fails clearly on a truncated answer, counting its tokens', async () => {
    const { worker: w, emp } = worker();
    const a = assignment(emp, { scope: ['x'] });
    standIn.enqueue({ kind: 'answer', text: '{"summary": "cut', finish: 'length', tokensIn: 50, tokensOut: 4096 });
    const result = await w.execute(a, workContext());
    assert.equal(result.status, 'failed');
    assert.match(result.summary, /truncated/);
    assert.equal(result.telemetry.tokensOut, 4096);
  });

  it('stops at once when cancelled mid-command: the container is killed and removed', async () => {
    const { worker: w, emp } = worker();
    const a = assignment(emp, { scope: ['x'] });
    standIn.enqueue(plan('Slow', [{ type: 'run', command: 'sleep 30' }]));
    const started = Date.now();
    const running = w.execute(a, workContext());
    await waitFor(async () => (await suite.events.query({ taskId: a.taskId })).some((e) => e.type === 'ToolCalled'));
    await new Promise((r) => setTimeout(r, 300));
    await w.cancel(a.taskId);
    await assert.rejects(running, (e: unknown) => AuraError.is(e, 'conflict') && /cancelled/.test((e as Error).message));
    assert.ok(Date.now() - started < 15_000);
    const left = await suite.runtime.engine.docker.listContainers({ all: true, filters: { label: [`aura.task=${a.taskId}`] } });
    assert.equal(left.length, 0);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
