// The Director's CLI against a real `aura serve`: every client command, its --json, and its exit codes.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, CLI, type CliResult, runCli, type ServeProcess, servePorts, startServe } from '../../support/cli';

/** A plan of approval tasks only: it runs to the end on the Director's word, with no employee or container. */
const PRD = `# Release sign-off
## Steps
- \`design\`: Sign off the design (kind: approval)
- \`release\`: Sign off the release (kind: approval) (after \`design\`)
`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the aura CLI as the Director', function () {
  this.timeout(240_000);
  let home: string;
  let serve: ServeProcess;
  let env: NodeJS.ProcessEnv;
  let prdFile: string;
  const aura = (...args: string[]): Promise<CliResult> => runCli(args, env);
  const json = async (...args: string[]): Promise<Json> => {
    const r = await aura(...args, '--json');
    assert.equal(r.code, 0, `aura ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Json;
  };
  const pendingApproval = async (runId: string): Promise<string> => {
    for (let i = 0; i < 50; i++) {
      const run = (await json('run', 'show', runId)).run;
      if (run.pendingApprovals.length) return run.pendingApprovals[0].id as string;
      await new Promise((r) => setTimeout(r, 200));
    }
    const { run } = await json('run', 'show', runId);
    throw new Error(`no approval became pending in ${runId} (${run.status}): ${JSON.stringify(run.tasks.map((t: Json) => [t.key, t.status, t.lastError]))}`);
  };

  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-cli-'));
    env = childEnv({ AURA_HOME: home, ...(await servePorts()) });
    serve = await startServe(env);
    prdFile = path.join(home, 'prd.md');
    fs.writeFileSync(prdFile, PRD);
  });
  after(async () => serve?.stop());

  it('submits a PRD, lists it with aura runs and shows its plan with aura run show', async () => {
    const submitted = await aura('submit', prdFile);
    assert.equal(submitted.code, 0, submitted.stderr);
    const runId = /Submitted (\S+)/.exec(submitted.stdout)![1]!;
    const runs = (await json('runs')).runs as Json[];
    assert.ok(runs.some((r) => r.id === runId));
    const table = await aura('runs');
    assert.match(table.stdout, new RegExp(`^${runId}\\s+\\S+\\s+0/2`, 'm'));
    const shown = await aura('run', 'show', runId);
    assert.match(shown.stdout, /design\s+awaiting_approval/);
    assert.match(shown.stdout, /release\s+pending/);
  });

  it('approves and rejects, then retries and skips, until the run succeeds; submit --watch follows it to the end', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CLI, 'submit', prdFile, '--watch'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // The watcher names the run it submitted first.
    const runId = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /Submitted (\S+):/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`submit --watch ended early: ${stdout}${stderr}`)));
    });
    const first = await pendingApproval(runId);
    const rejected = await aura('reject', first, '--reason', 'not yet');
    assert.equal(rejected.code, 0, rejected.stderr);
    const design = ((await json('run', 'show', runId)).run.tasks as Json[]).find((t) => t.key === 'design')!;
    assert.equal(design.status, 'dead_letter');
    // Queued again: it asks for the Director's approval once the scheduler passes it.
    assert.match((await json('retry', design.id)).task.status, /^(ready|awaiting_approval)$/);
    assert.equal((await json('approve', await pendingApproval(runId), '--note', 'fine')).approval.status, 'approved');
    const release = ((await json('run', 'show', runId)).run.tasks as Json[]).find((t) => t.key === 'release')!;
    await pendingApproval(runId);
    assert.equal((await json('skip', release.id, '--reason', 'released by hand')).task.status, 'skipped');
    assert.equal(await exited, 0, stderr);
    assert.match(stdout, /design awaiting_approval/);
    assert.match(stdout, /design dead_letter/);
    assert.match(stdout, new RegExp(`run ${runId} succeeded \\(2/2 tasks done\\)`));
  });

  it('aura watch draws a bar per task and an overall bar in a real terminal (tmux), and updates them as tasks finish', async () => {
    const runId = (await json('submit', prdFile)).run.id as string;
    const socket = `aura-test-${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const vars = Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    tmux('new-session', '-d', '-s', 'watch', '-x', '120', '-y', '20', `env -i ${vars} ${process.execPath} --require tsx/cjs ${CLI} watch ${runId}; echo WATCH-EXIT=$?; sleep 60`);
    const screen = () => tmux('capture-pane', '-p', '-t', 'watch');
    const until = async (what: string, test: (s: string) => boolean): Promise<string> => {
      for (let i = 0; i < 300; i++) {
        const s = screen();
        if (test(s)) return s;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the watch screen never showed ${what}:\n${screen()}`);
    };
    try {
      const first = await until('the bars', (s) => /design\s+awaiting_approval/.test(s));
      assert.match(first, /░/, 'bars are drawn');
      assert.match(first, /running 0\/2/, 'the overall bar counts the tasks');
      assert.match(first, /release\s+pending/);
      await json('approve', await pendingApproval(runId));
      const second = await until('the first task done', (s) => /design\s+succeeded/.test(s) && /1\/2/.test(s));
      assert.match(second, /█/, 'a finished task\'s bar is full');
      assert.equal(second.split('\n').filter((l) => /design/.test(l)).length, 1, 'bars are redrawn in place, not appended');
      await json('approve', await pendingApproval(runId));
      const last = await until('the end', (s) => /WATCH-EXIT=/.test(s));
      assert.match(last, new RegExp(`Run ${runId} succeeded`));
      assert.match(last, /WATCH-EXIT=0/);
    } finally {
      tmux('kill-server');
    }
  });

  it('pauses, resumes and cancels a run, and aura watch exits 1 for a run that did not succeed', async () => {
    const runId = (await json('submit', prdFile)).run.id as string;
    assert.equal((await json('pause', runId)).run.status, 'paused');
    assert.equal((await json('resume', runId)).run.status, 'running');
    const noReason = await aura('cancel', runId);
    assert.equal(noReason.code, 2);
    assert.match(noReason.stderr, /needs --reason/);
    assert.equal((await json('cancel', runId, '--reason', 'changed my mind')).run.status, 'cancelled');
    const watched = await aura('watch', runId);
    assert.equal(watched.code, 1);
    assert.match(watched.stdout, /cancelled/);
  });

  it('hires, suspends, reinstates and terminates an employee, and lists scores', async () => {
    const hired = (await json('employees', 'hire', '--name', 'cli-temp', '--provider', 'openai', '--model', 'gpt-test', '--base-url', 'http://127.0.0.1:9/v1', '--api-key-ref', 'env:NO_SUCH_KEY')).employee;
    assert.equal(hired.name, 'cli-temp');
    assert.equal((await json('employees', 'suspend', hired.id, '--reason', 'test')).employee.status, 'suspended');
    assert.equal((await json('employees', 'reinstate', hired.id, '--reason', 'test')).employee.status, 'active');
    assert.equal((await json('employees', 'terminate', hired.id, '--reason', 'test')).employee.status, 'terminated');
    const listed = await aura('employees');
    assert.match(listed.stdout, new RegExp(`${hired.id}\\s+terminated`));
    const scores = await json('scores', '--all');
    assert.ok(scores.leaderboard.some((e: Json) => e.employeeId === hired.id));
    const agent = (await json('employees', 'hire', '--name', 'cli-gemini', '--agent', 'gemini-cli', '--model', 'gemini-2.5-flash')).employee;
    assert.deepEqual([agent.provider, agent.agent], ['cli', 'gemini-cli'], 'an agent is a CLI employee');
    const agentRow = await aura('employees');
    assert.match(agentRow.stdout, /cli \(gemini-cli\)\s+gemini-2\.5-flash\s+cli-gemini/);
    const badAgent = await aura('employees', 'hire', '--name', 'x', '--agent', 'no-such-agent', '--model', 'm');
    assert.equal(badAgent.code, 2);
    assert.match(badAgent.stderr, /agent/);
    const badHire = await aura('employees', 'hire', '--name', 'x');
    assert.equal(badHire.code, 2);
    assert.match(badHire.stderr, /needs --provider, --model/);
  });

  it('reads the audit log with aura events, filtered by run and type', async () => {
    const runId = ((await json('runs', '--limit', '1')).runs as Json[])[0]!.id as string;
    const events = (await json('events', '--run', runId, '--type', 'RunStarted,RunCancelled')).events as Json[];
    assert.deepEqual(events.map((e) => e.type), ['RunStarted', 'RunCancelled']);
    const text = await aura('events', '--run', runId, '--limit', '1');
    assert.match(text.stdout, /RunStarted/);
    assert.match(text.stdout, /More: aura events --after \d+/);
  });

  it('answers exit 5 for an unknown run, 3 when no server answers, 4 for a refused token and 2 for bad usage', async () => {
    const missing = await aura('run', 'show', 'run_doesnotexist');
    assert.equal(missing.code, 5, missing.stderr);
    const unreachable = await aura('runs', '--server', 'http://127.0.0.1:1/mcp');
    assert.equal(unreachable.code, 3);
    assert.match(unreachable.stderr, /Nothing answers at http:\/\/127\.0\.0\.1:1\/mcp \(from --server\)/);
    const tokenFile = path.join(home, 'wrong.token');
    fs.writeFileSync(tokenFile, 'aura_not_a_real_token\n');
    const refused = await aura('runs', '--token-file', tokenFile);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /refused the token/);
    const usage = await aura('runs', '--limit', 'lots');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /expected a whole number/);
  });

  it('aura doctor names each check and what to fix, and exits by whether all pass', async () => {
    const report = await aura('doctor', '--json');
    const body = JSON.parse(report.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean; fix?: string }> };
    const byName = new Map(body.checks.map((c) => [c.name, c]));
    for (const name of ['configuration', 'database', 'migrations', 'container-engine', 'worker-image', 'token']) assert.ok(byName.has(name), `doctor checks ${name}`);
    assert.equal(byName.get('database')!.ok, true);
    assert.equal(byName.get('token')!.ok, true);
    assert.equal(report.code, body.ok ? 0 : 1);
    for (const failed of body.checks.filter((c) => !c.ok)) assert.ok(failed.fix, `${failed.name} says what to fix`);
  });

  it('prints shell completions that name every command', async () => {
    const bash = await aura('completion', 'bash');
    assert.equal(bash.code, 0, bash.stderr);
    for (const word of ['submit', 'watch', 'backup', 'employees', 'hire', '--token-file']) assert.ok(bash.stdout.includes(word), word);
    assert.match(bash.stdout, /complete -F _aura aura/);
    const fish = await aura('completion', 'fish');
    assert.match(fish.stdout, /__fish_seen_subcommand_from employees' -a hire/);
  });
});
