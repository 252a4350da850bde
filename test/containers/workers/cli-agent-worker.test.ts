// The CLI-agent worker on a real engine: a script employee gets its assignment on stdin and in a file, answers with JSON.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AuraError } from '../../../core/domain/errors';
import type { Employee } from '../../../core/workforce/employee';
import { createCliAgentWorker } from '../../../core/workforce/workers/cli-agent-worker';
import { withWorkspace } from '../../../core/workspace/with-workspace';
import { assignment, employee, everythingRecorded, useWorkerSuite, workContext } from './worker-harness';

const SECRET = 'agent-secret-7c1d2e3f4a5b6c7d';

/** A shell agent: keeps what it was given, writes a file, and answers in the result file. */
const scriptAgent = `
set -e
cat > /tmp/stdin.json
cp /tmp/stdin.json /workspace/.aura/stdin-copy.json
env > /workspace/.aura/env.txt
key=$(node -e 'const a=require(process.env.AURA_ASSIGNMENT_FILE);process.stdout.write(a.task.key)')
echo "done by the script for $key" > /workspace/notes.txt
printf '{"status":"succeeded","summary":"wrote notes.txt for %s","claimsChecksPassed":true,"telemetry":{"tokensIn":10,"tokensOut":5}}' "$key" > "$AURA_RESULT_FILE"
echo "agent finished"
`;

describe('CLI-agent worker (real containers)', function () {
  this.timeout(60_000);
  const suite = useWorkerSuite();

  function workerFor(emp: Employee, env: Record<string, string> = {}) {
    return withWorkspace(() => createCliAgentWorker({ runtime: suite.runtime, defaultImage: suite.image, events: suite.events, employee: emp, runlogs: suite.runlogs, secrets: { env } }), { workspace: suite.workspace })(emp);
  }

  const agent = (script: string, extra: Record<string, unknown> = {}) => employee({ provider: 'cli', model: 'script', command: ['sh', '-c', script], costTable: { inputPerMTok: 1, outputPerMTok: 2 }, ...extra });

  it('runs the command in the container with the assignment on stdin and in .aura/assignment.json, and commits its work', async () => {
    const emp = agent(scriptAgent);
    const a = assignment(emp, { id: 'write-notes', scope: ['notes.txt'] });
    const result = await workerFor(emp).execute(a, workContext());
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(result.summary, 'wrote notes.txt for write-notes');
    assert.equal(result.claimsChecksPassed, true);
    assert.deepEqual({ ...result.telemetry, latencyMs: 0 }, { tokensIn: 10, tokensOut: 5, costUsd: (10 * 1 + 5 * 2) / 1e6, latencyMs: 0, model: 'script' });
    const wt = (await suite.workspace.getTask({ runId: a.runId, taskId: a.taskId, attempt: 1 }))!;
    const stdin = JSON.parse(fs.readFileSync(path.join(wt.path, '.aura', 'stdin-copy.json'), 'utf8'));
    const file = JSON.parse(fs.readFileSync(path.join(wt.path, '.aura', 'assignment.json'), 'utf8'));
    assert.deepEqual(stdin, file);
    assert.equal(file.protocol, 'aura.cli-agent/1');
    assert.equal(file.task.id, a.taskId);
    assert.equal(file.idempotencyKey, a.idempotencyKey);
    assert.equal(file.resultFile, '/workspace/.aura/result.json');
    const repo = (await suite.workspace.getRun(a.runId))!.repoPath;
    assert.equal(execFileSync('git', ['show', `${result.commit}:notes.txt`], { cwd: repo, encoding: 'utf8' }), 'done by the script for write-notes\n');
    assert.equal(execFileSync('git', ['ls-tree', '-r', '--name-only', result.commit!], { cwd: repo, encoding: 'utf8' }), 'notes.txt\n', '.aura/ is never committed');
    const [entry] = await suite.runlogs.read(a.taskId, 1);
    assert.equal(entry!.kind, 'agent');
    assert.equal(entry!.stdout, 'agent finished\n');
  });

  it('gives the employee its own key, and no other employee sees it; events and runlogs never hold it', async () => {
    const withKey = agent(scriptAgent, { apiKeyRef: 'env:AGENT_SUITE_KEY' });
    const withoutKey = agent(scriptAgent);
    const a = assignment(withKey, { scope: ['notes.txt'] });
    const b = assignment(withoutKey, { scope: ['notes.txt'], runId: a.runId });
    const env = { AGENT_SUITE_KEY: SECRET };
    const [ra, rb] = await Promise.all([workerFor(withKey, env).execute(a, workContext()), workerFor(withoutKey, env).execute(b, workContext())]);
    assert.equal(ra.status, 'succeeded', ra.summary);
    assert.equal(rb.status, 'succeeded', rb.summary);
    const envOf = async (x: typeof a) => fs.readFileSync(path.join((await suite.workspace.getTask({ runId: x.runId, taskId: x.taskId, attempt: 1 }))!.path, '.aura', 'env.txt'), 'utf8');
    const envA = await envOf(a);
    const envB = await envOf(b);
    assert.match(envA, new RegExp(`^AGENT_SUITE_KEY=${SECRET}$`, 'm'));
    assert.match(envA, new RegExp(`^AURA_API_KEY=${SECRET}$`, 'm'));
    assert.doesNotMatch(envB, new RegExp(SECRET));
    assert.doesNotMatch(envA, /^(PATH_OF_HOST|DOCKER_HOST|DATABASE_URL|AURA_HOME)=/m, 'nothing of the host environment');
    assert.doesNotMatch(await everythingRecorded(suite, a.runId, [a.taskId, b.taskId]), new RegExp(SECRET));
  });

  it('reaches the network only when its profile gives it egress', async () => {
    const server = http.createServer((_req, res) => res.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const probe = `node -e 'require("http").get("http://127.0.0.1:${port}/",r=>{r.on("data",d=>process.stdout.write(JSON.stringify({status:"succeeded",summary:String(d)})))}).on("error",e=>process.stdout.write(JSON.stringify({status:"failed",summary:e.code||e.message})))'`;
    try {
      const closed = agent(probe);
      const open = agent(probe, { egress: true });
      const [without, withEgress] = await Promise.all([workerFor(closed).execute(assignment(closed, {}), workContext()), workerFor(open).execute(assignment(open, {}), workContext())]);
      assert.equal(without.status, 'failed');
      assert.match(without.summary, /ECONNREFUSED|ENETUNREACH|EAI_AGAIN|EHOSTUNREACH/);
      assert.deepEqual([withEgress.status, withEgress.summary], ['succeeded', 'reached']);
    } finally {
      server.close();
    }
  });

  it('takes the result from the last line of stdout when there is no result file', async () => {
    const emp = agent(`echo progress; echo '{"status":"succeeded","summary":"said on stdout"}'`);
    const result = await workerFor(emp).execute(assignment(emp, {}), workContext());
    assert.equal(result.status, 'succeeded');
    assert.equal(result.summary, 'said on stdout');
  });

  for (const [name, script, pattern] of [
    ['a truncated result', `printf '{"status":"succeeded","summ' > "$AURA_RESULT_FILE"`, /truncated JSON/],
    ['a result of the wrong shape', `echo '{"status":"done"}' > "$AURA_RESULT_FILE"`, /does not follow aura\.cli-agent\/1: status/],
    ['no result at all', `true`, /gave no result/],
    ['a result file that links to a host file', `ln -s /etc/hostname "$AURA_RESULT_FILE"`, /symbolic link/],
    ['a non-zero exit', `echo '{"status":"succeeded","summary":"claims success"}' > "$AURA_RESULT_FILE"; echo boom >&2; exit 3`, /exited with code 3\. It said: claims success stderr: boom/],
  ] as const) {
    it(`fails clearly on ${name}`, async () => {
      const emp = agent(script);
      const result = await workerFor(emp).execute(assignment(emp, {}), workContext());
      assert.equal(result.status, 'failed');
      assert.match(result.summary, pattern);
    });
  }

  it('kills an agent that runs past its deadline', async () => {
    const emp = agent('sleep 30');
    const started = Date.now();
    await assert.rejects(workerFor(emp).execute(assignment(emp, { timeoutMs: 1_500 }), workContext()), (e: unknown) => AuraError.is(e, 'timeout'));
    assert.ok(Date.now() - started < 10_000);
  });

  it('is killed by cancel() and leaves no container', async () => {
    const emp = agent('echo started; sleep 30');
    const worker = workerFor(emp);
    const a = assignment(emp, {});
    const running = worker.execute(a, workContext());
    const until = Date.now() + 20_000;
    while ((await suite.runtime.engine.docker.listContainers({ filters: { label: [`aura.task=${a.taskId}`] } })).length === 0) {
      if (Date.now() > until) throw new Error('the agent container never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    await worker.cancel(a.taskId);
    await assert.rejects(running, (e: unknown) => AuraError.is(e, 'conflict'));
    const left = await suite.runtime.engine.docker.listContainers({ all: true, filters: { label: [`aura.task=${a.taskId}`] } });
    assert.equal(left.length, 0);
  });
});
