// Real coding agents as employees: Gemini CLI, Qwen Code, Claude Code and Codex from the npm registry, each in its own
// image, run by the Manager on a PRD's tasks; their model calls go through the gateway to stand-ins holding the key.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultWorkerImage } from '../../adapters/containers/worker-image-build';
import { createGitWorkspace } from '../../adapters/git-workspace/git-workspace';
import type { AgentName } from '../../core/workforce/agents/agent-names';
import type { RunDetail } from '../../core/runs/run-queries';
import { type AgentRig, startAgentRig } from './agent-rig';
import { greetingOf } from './agent-script';

export const AGENTS: readonly AgentName[] = ['gemini-cli', 'qwen-code', 'claude-code', 'codex'];

function prdFor(agents: readonly AgentName[], how = ''): string {
  const tasks = agents.map((a, i) => {
    const { file, line } = greetingOf(a);
    return `${i + 1}. [${a}] Write the greeting of ${a}${how} (skills: ${a}) (scope: ${file})\n   - \`grep -qx "${line}" ${file}\``;
  });
  return `# Agents at work\n\n## Tasks\n\n${tasks.join('\n')}\n`;
}

describe('real coding agents as governed employees', function () {
  this.timeout(600_000);
  let rig: AgentRig;
  let run: RunDetail;
  let repo: string;

  before(async function () {
    this.timeout(600_000);
    rig = await startAgentRig(AGENTS);
    for (const agent of AGENTS) await rig.hire(agent);
    repo = rig.repo('agents-at-work');
    const submitted = await rig.orchestrator.runs.submit({ prd: prdFor(AGENTS), workspace: repo }, 'director');
    run = await rig.waitForRun(submitted.id, ['succeeded', 'failed', 'partial', 'cancelled']);
  });
  after(async function () {
    this.timeout(60_000);
    await rig?.close();
  });

  const task = (agent: AgentName) => run.tasks.find((t) => t.key === agent)!;

  for (const agent of AGENTS) {
    it(`${agent}: the file it wrote with its own tool is in the task's commit`, () => {
      const t = task(agent);
      assert.equal(t.status, 'succeeded', `${agent}: ${t.lastError ?? ''}`);
      const { file, line } = greetingOf(agent);
      assert.equal(rig.git(repo, 'show', `${t.result!.commit}:${file}`), line);
      assert.equal(rig.git(repo, 'diff-tree', '--no-commit-id', '--name-only', '-r', t.result!.commit!), file, 'only the file of its scope, never .aura/');
    });
  }

  it('the Auditor ran each acceptance command itself, in a fresh container, and it passed', async () => {
    const passed = (await rig.orchestrator.events.query({ runId: run.id, types: ['VerificationPassed'], limit: 1000 })).map((e) => `${e.taskId} ${(e.payload as { layer: string }).layer}`);
    for (const agent of AGENTS) assert.ok(passed.includes(`${task(agent).id} acceptance`), `${agent}: acceptance verified`);
    // And again here, on the merged run branch, in a container of the plain worker image.
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-agents-tree-'));
    rig.git(repo, 'worktree', 'add', '--quiet', '--detach', tree, `aura/run-${run.id}`);
    fs.chmodSync(tree, 0o777);
    for (const agent of AGENTS) {
      const [command] = task(agent).spec.acceptance.commands;
      const result = await (await rig.runtime.run({ image: defaultWorkerImage, command: ['sh', '-c', command!], workspace: tree, network: 'none', memoryMb: 128, cpus: 1, pids: 64, timeoutMs: 20_000 })).result;
      assert.equal(result.exitCode, 0, `${agent}: ${command}`);
    }
  });

  it('the ledger holds every model call of each attempt with its tokens and cost, and the attempt row their total', async () => {
    for (const agent of AGENTS) {
      const t = task(agent);
      const rows = (await rig.core.store.query<{ source: string; tokens_in: number; tokens_out: number; cost_usd: string }>(`SELECT source, tokens_in, tokens_out, cost_usd FROM aura.cost_ledger WHERE run_id = $1 AND task_id = $2 AND attempt = $3`, [run.id, t.id, t.attempt])).rows;
      const calls = rows.filter((r) => r.source === 'call');
      const attempt = rows.find((r) => r.source === 'attempt');
      assert.ok(calls.length >= 2, `${agent}: at least the tool-call turn and the final turn (${calls.length})`);
      for (const c of calls) assert.ok(c.tokens_in > 0 && Number(c.cost_usd) > 0, `${agent}: each call has tokens and a cost`);
      const sum = calls.reduce((s, c) => s + Number(c.cost_usd), 0);
      assert.ok(attempt, `${agent}: the attempt's row`);
      assert.ok(Math.abs(Number(attempt.cost_usd) - sum) < 1e-9, `${agent}: attempt ${attempt.cost_usd} = calls ${sum}`);
      assert.equal(attempt.tokens_in, calls.reduce((s, c) => s + c.tokens_in, 0));
    }
  });

  it('the key reached the stand-ins and nothing else: not the containers, events, logs, evidence or a pg_dump', async () => {
    for (const s of Object.values(rig.standIns)) for (const c of s.calls) assert.ok(c.outcome !== 'auth', `${s.name}: every call carried the real key`);
    // Each agent's shell showed its container's environment and the words of its /tmp files to its model (agent-script.ts).
    const bodies = Object.values(rig.standIns).flatMap((s) => s.calls.map((c) => JSON.stringify(c.body)));
    for (const agent of AGENTS) {
      const dumps = bodies.filter((b) => b.includes('--- env') && b.includes('--- /tmp') && b.includes(greetingOf(agent).line));
      assert.ok(dumps.some((b) => /API_KEY=aura-gw-[A-Za-z0-9_-]{20,}/.test(b)), `${agent}: its container's environment reached the stand-in, with the gateway token as its API key`);
    }
    assert.ok(!bodies.join('').includes(rig.canary), 'the key is in no container\'s environment or /tmp (nor anything else an agent sent)');
    const events = JSON.stringify((await rig.core.store.query('SELECT * FROM aura.events')).rows);
    assert.ok(!events.includes(rig.canary), 'events');
    assert.ok(!rig.logLines.join('\n').includes(rig.canary), 'logs');
    const dump = execFileSync('pg_dump', ['--data-only', rig.db.url], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    assert.ok(dump.includes('aura.cost_ledger') || dump.includes('cost_ledger'), 'the dump is of the database');
    assert.ok(!dump.includes(rig.canary), 'pg_dump of the database (evidence, call records, runlogs)');
    // Files the product wrote: workspaces, snapshots, runlog files, logs under AURA_HOME.
    const grep = spawnSync('grep', ['-rl', '--', rig.canary, rig.home], { encoding: 'utf8' });
    assert.equal(grep.status, 1, `files under AURA_HOME holding the key: ${grep.stdout}`);
  });

  it('replayed from the record with the stand-ins stopped, each attempt gives the same commit tree (Codex: refused as diverged)', async function () {
    this.timeout(600_000);
    // A run whose agents' commands print the same thing every time (see agent-script.ts), recorded first.
    const repo = rig.repo('agents-quietly');
    const submitted = await rig.orchestrator.runs.submit({ prd: prdFor(AGENTS, ' quietly'), workspace: repo }, 'director');
    const run = await rig.waitForRun(submitted.id, ['succeeded', 'failed', 'partial', 'cancelled']);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.tasks.map((t) => [t.key, t.status, t.lastError])));
    const task = (agent: AgentName) => run.tasks.find((t) => t.key === agent)!;
    for (const s of Object.values(rig.standIns)) await s.close();
    // Another machine's workspaces: the run's repository there is a clone of the original at the commit it started
    // from, so each attempt starts from the files the original attempt started from (the original run's branch
    // already holds what the agents wrote, and an agent's prompt shows the folder it works in).
    const workers = await rig.workersWith('replay', { workspace: createGitWorkspace({ workspacesDir: path.join(rig.home, 'replay-workspaces') }) });
    const replayRepo = path.join(rig.home, 'replay-repo');
    execFileSync('git', ['clone', '-q', repo, replayRepo], { env: { PATH: process.env.PATH!, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
    for (const agent of AGENTS) {
      const t = task(agent);
      const employee = (await rig.orchestrator.employees.list()).find((e) => e.id === t.employeeId)!;
      // The same attempt (the record is the attempt's: run, task key, attempt), with the stand-ins stopped: only the
      // record can answer. Each attempt gets a worktree of its own from the clone's start (nothing is merged there).
      const runId = run.id;
      const assignment = { runId, taskId: t.id, attempt: 1, idempotencyKey: `${runId}_${t.id}_1`, task: t.spec, employee, context: { runTitle: run.title, dependencies: [] }, deadline: Date.now() + 240_000 };
      const result = await workers(employee).execute(assignment, { signal: new AbortController().signal, workdir: replayRepo, progress: () => undefined });
      if (agent === 'codex') {
        // Codex's exec tool reports a wall time and a chunk id in every result, so its next request never equals the
        // record's: the replay must refuse that call loudly, naming its key, and send nothing upstream.
        assert.equal(result.status, 'failed');
        assert.match(result.summary, /Replay miss: the gateway refused a model call \(replay_miss: .*not in the record, key [0-9a-f]{64}/);
        continue;
      }
      assert.equal(result.status, 'succeeded', `${agent} in replay: ${result.summary}`);
      const replayedTree = rig.git(replayRepo, 'rev-parse', `${result.commit}^{tree}`);
      assert.equal(replayedTree, rig.git(repo, 'rev-parse', `${t.result!.commit}^{tree}`), `${agent}: the same tree`);
      assert.ok(result.telemetry.tokensIn > 0, `${agent}: the replayed calls are metered as recorded`);
    }
  });
});
