// The README's example PRD, read from the README itself, run as a new user would: a new repository, a CLI-agent
// employee in a real container, no scope tags, the approval answered by the Director. The two cannot drift apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { verifyChain } from '../../../core/events/verify-chain';
import { type RunRig, startRunRig } from './run-harness';

/** The first indented block under "## PRDs, runs and the Manager": the example a reader copies. */
export function readmeExamplePrd(): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('PRDs, runs and the Manager'));
  assert.ok(section, 'the README has its "PRDs, runs and the Manager" section');
  const lines = section.split('\n');
  const start = lines.findIndex((l) => l.startsWith('    '));
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() !== '' && !line.startsWith('    ')) break;
    block.push(line.slice(4));
  }
  return block.join('\n').trim() + '\n';
}

/** A CLI agent that knows nothing of scopes: it writes what each task of the example asks for, by the task's key. */
const agent = `const fs=require("fs");const a=JSON.parse(fs.readFileSync(0,"utf8"));const files={
readme:{"README.md":"# Greeter\\n\\nA shell script that greets you, or the name you give it.\\n"},
greet:{"greet.sh":"echo \\"Hello, world\\"\\n"},
names:{"greet.sh":"echo \\"Hello, \${1:-world}\\"\\n"}}[a.task.key];
if(!files){fs.writeFileSync(process.env.AURA_RESULT_FILE,JSON.stringify({status:"failed",summary:"no idea how to do "+a.task.key}));process.exit(0)}
for(const [f,t] of Object.entries(files))fs.writeFileSync("/workspace/"+f,t);
fs.writeFileSync(process.env.AURA_RESULT_FILE,JSON.stringify({status:"succeeded",summary:"wrote "+Object.keys(files).join(", ")}))`;

describe("the README's example PRD, end to end", function () {
  this.timeout(240_000);
  let rig: RunRig;
  before(async function () {
    this.timeout(180_000);
    rig = await startRunRig();
    await rig.orchestrator.employees.hire({ name: 'greeter-dev', provider: 'cli', model: 'node-script', command: ['node', '-e', agent] }, 'director');
  });
  after(async function () {
    this.timeout(60_000);
    await rig?.close();
  });

  it('plans scopes from what the tasks name, runs every task that changes files in a container, waits for the approval, and succeeds', async () => {
    const prd = readmeExamplePrd();
    assert.match(prd, /^# Greeter\n/);
    const submitted = await rig.orchestrator.runs.submit({ prd }, 'director');
    // The plan, before anything runs, shows each task's scope and where it came from.
    const planned = Object.fromEntries(submitted.tasks.map((t) => [t.key, [t.kind, t.spec.scope, t.spec.scopeSource]]));
    assert.deepEqual(planned, {
      readme: ['doc', ['README.md'], 'inferred'],
      greet: ['code', ['greet.sh'], 'inferred'],
      names: ['code', ['greet.sh'], 'inferred'],
      'approve-the-release': ['approval', [], undefined],
    });
    const waiting = await rig.waitForRun(submitted.id, ['awaiting_approval', 'running', 'blocked', 'partial', 'succeeded'], 180_000).then(async function poll(run): Promise<typeof run> {
      if (run.pendingApprovals.length || run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 300));
      return poll(await rig.orchestrator.runs.get(run.id));
    });
    assert.deepEqual(waiting.tasks.map((t) => [t.key, t.status]), [['readme', 'succeeded'], ['greet', 'succeeded'], ['names', 'succeeded'], ['approve-the-release', 'awaiting_approval']], JSON.stringify(waiting.tasks.map((t) => [t.key, t.status, t.lastError])));
    await rig.orchestrator.tasks.resolveApproval(waiting.pendingApprovals[0]!.id, { approved: true, by: 'director', note: 'ship it' });
    const done = await rig.waitForRun(submitted.id, ['succeeded', 'partial', 'blocked', 'failed'], 30_000);
    assert.equal(done.status, 'succeeded');

    // The run's repository is where the README says, and the run branch holds the work in dependency order.
    const repo = path.join(rig.home, 'workspaces', done.id, 'repo');
    assert.ok(fs.existsSync(path.join(repo, '.git')), `the run repository is at ${repo}`);
    const branch = `aura/run-${done.id}`;
    assert.equal(rig.git(repo, 'show', `${branch}:greet.sh`), 'echo "Hello, ${1:-world}"');
    const order = rig.git(repo, 'log', '--first-parent', '--reverse', '--format=%s', branch).split('\n').map((s) => /^Merge (\S+?):?(\s|$)/.exec(s)?.[1]);
    assert.ok(order.indexOf('readme') < order.indexOf('greet') && order.indexOf('greet') < order.indexOf('names'), order.join(', '));
    // Every code task's scope and acceptance layers passed, none flagged.
    const passed = (await rig.orchestrator.events.query({ runId: done.id, types: ['VerificationPassed'], limit: 200 })).map((e) => e.payload as { layer: string; details?: { flagged?: boolean } });
    assert.equal(passed.filter((p) => p.layer === 'acceptance').length, 3);
    assert.equal(passed.filter((p) => p.layer === 'scope' && !p.details?.flagged).length, 3);
    const audit = await verifyChain(rig.core.store, rig.core.signer, { stream: done.id });
    assert.equal(audit.ok, true, JSON.stringify(audit));
  });
});
