// End to end: a PRD run by the Manager with a model employee (OpenAI stand-in) and a CLI-agent employee, each in real
// containers; every result is a commit merged into aura/run-<id> in dependency order, and keys stay where they belong.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGENT_SECRET, agentScript, MODEL_KEY, type RunRig, startRunRig } from './run-harness';

const sha = (v: string) => createHash('sha256').update(v).digest('hex');

const prd = `# Greeting kit

## Tasks

1. [base] Create the base file (skills: model) (scope: out/base.txt)
   - \`grep -qx "base done" out/base.txt\`
2. [left] Create the left part (skills: script) (scope: out/left.txt) (depends on: base)
   - \`test -f out/base.txt && grep -qx "left done" out/left.txt\`
3. [right] Create the right part (skills: model) (scope: out/right.txt) (depends on: base)
   - \`test -f out/base.txt && grep -qx "right done" out/right.txt\`
4. [join] Create the joined part (skills: script) (scope: out/join.txt) (depends on: left, right)
   - \`test -f out/left.txt && test -f out/right.txt && grep -qx "join done" out/join.txt\`
5. [final] Create the final part (skills: model) (scope: out/final.txt) (depends on: join)
   - \`test -f out/join.txt && grep -qx "final done" out/final.txt\`
`;

describe('a run end to end: Manager, employees in real containers, the run branch', function () {
  this.timeout(240_000);
  let rig: RunRig;

  before(async function () {
    this.timeout(180_000);
    rig = await startRunRig();
    await rig.orchestrator.employees.hire({ name: 'modeller', provider: 'openai', model: 'stand-in-gpt', baseUrl: `${rig.standIn.url}/v1`, apiKeyRef: 'env:E2E_MODEL_KEY', skills: ['model'], costTable: { inputPerMTok: 1, outputPerMTok: 4 } }, 'director');
    await rig.orchestrator.employees.hire({ name: 'scripter', provider: 'cli', model: 'node-script', command: ['node', '-e', agentScript], apiKeyRef: 'env:E2E_AGENT_KEY', skills: ['script'] }, 'director');
  });
  after(async function () {
    this.timeout(60_000);
    await rig?.close();
  });

  it('turns five tasks into five commits merged into aura/run-<id> in dependency order, each passing its acceptance commands', async () => {
    const repo = rig.repo('greeting-kit');
    const mainBefore = rig.git(repo, 'rev-parse', 'main');
    const submitted = await rig.orchestrator.runs.submit({ prd, workspace: repo }, 'director');
    const run = await rig.waitForRun(submitted.id, ['succeeded', 'failed', 'partial', 'cancelled']);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.tasks.map((t) => [t.key, t.status, t.lastError])));

    const branch = `aura/run-${run.id}`;
    const merges = rig.git(repo, 'log', '--first-parent', '--reverse', '--format=%H %s', `${mainBefore}..${branch}`).split('\n').map((l) => l.split(' '));
    const order = merges.map(([, , key]) => key!.replace(/:$/, ''));
    assert.deepEqual([...order].sort(), ['base', 'final', 'join', 'left', 'right']);
    const at = (k: string) => order.indexOf(k);
    assert.ok(at('base') < at('left') && at('base') < at('right') && at('left') < at('join') && at('right') < at('join') && at('join') < at('final'), `merged in dependency order: ${order.join(', ')}`);

    // Each task's own commit was made on top of its dependencies' merged work.
    const byKey = new Map(run.tasks.map((t) => [t.key, t]));
    const mergeOf = new Map(merges.map(([commit, , key]) => [key!.replace(/:$/, ''), commit!]));
    for (const [task, deps] of [['left', ['base']], ['right', ['base']], ['join', ['left', 'right']], ['final', ['join']]] as const) {
      const commit = byKey.get(task)!.result!.commit!;
      for (const dep of deps) assert.equal(rig.git(repo, 'merge-base', '--is-ancestor', mergeOf.get(dep)!, commit), '', `${task} was built on ${dep}`);
    }
    // Both employees worked, each on its own skill.
    const hired = await rig.orchestrator.employees.list();
    const nameOf = new Map(hired.map((e) => [e.id, e.profile.name]));
    assert.deepEqual(Object.fromEntries(run.tasks.map((t) => [t.key, nameOf.get(t.employeeId!)])), { base: 'modeller', left: 'scripter', right: 'modeller', join: 'scripter', final: 'modeller' });

    // Nothing was merged before the Auditor had checked its scope and run its acceptance commands itself.
    const verified = (await rig.orchestrator.events.query({ runId: run.id, types: ['VerificationPassed'], limit: 1000 })).map((e) => `${e.taskId} ${(e.payload as { layer: string }).layer}`);
    for (const task of run.tasks) for (const layer of ['scope', 'acceptance']) assert.ok(verified.includes(`${task.id} ${layer}`), `${task.key}: ${layer} verified`);

    // The final tree passes every acceptance command, run here in a fresh container.
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-e2e-tree-'));
    rig.git(repo, 'worktree', 'add', '--quiet', '--detach', tree, branch);
    fs.chmodSync(tree, 0o777);
    try {
      for (const task of run.tasks) {
        for (const command of task.spec.acceptance.commands) {
          const handle = await rig.runtime.run({ image: rig.image, command: ['sh', '-c', command], workspace: tree, network: 'none', memoryMb: 256, cpus: 1, pids: 64, timeoutMs: 20_000 });
          const r = await handle.result;
          assert.equal(r.exitCode, 0, `${task.key}: ${command}\n${r.stderr}`);
        }
      }
    } finally {
      rig.git(repo, 'worktree', 'remove', '--force', tree);
    }
    assert.equal(rig.git(repo, 'rev-parse', 'main'), mainBefore, 'the repository\'s own branch did not move');
    assert.equal(rig.git(repo, 'status', '--porcelain'), '', 'nor did its working tree');
  });

  it('gives each key only to its own employee: the agent held its key, the model\'s container held none, and no record holds either', async () => {
    const runs = await rig.orchestrator.runs.list();
    const run = await rig.orchestrator.runs.get(runs[0]!.id);
    const scripted = run.tasks.filter((t) => t.key === 'left' || t.key === 'join');
    for (const t of scripted) assert.deepEqual(t.result!.output && (t.result!.output as { result: unknown }).result, { apiKey: sha(AGENT_SECRET), named: sha(AGENT_SECRET) });
    const modelled = run.tasks.find((t) => t.key === 'base')!;
    const envRun = (await rig.employees.runlogs.read(modelled.id)).find((e) => e.command === 'env | sort')!;
    assert.match(envRun.stdout!, /^HOME=\/tmp$/m, 'the runlog holds the model container\'s environment');
    assert.doesNotMatch(envRun.stdout!, /KEY|sk-|agent-e2e/);
    assert.equal(rig.standIn.calls[0]!.headers.authorization, `Bearer ${MODEL_KEY}`, 'the model key went to the model endpoint, from the host');

    const dump = async (sql: string) => JSON.stringify((await rig.core.store.query(sql)).rows);
    const everything = [
      await dump('SELECT * FROM aura.events'),
      await dump('SELECT * FROM aura.task_runlog'),
      await dump('SELECT * FROM aura.tasks'),
      await dump('SELECT * FROM aura.call_records'),
      await dump('SELECT * FROM aura.idempotency'),
      await dump('SELECT * FROM aura.evidence'),
      await dump('SELECT * FROM aura.verifications'),
      rig.logLines.join('\n'),
      ...run.tasks.map((t) => fs.readFileSync(rig.employees.runlogs.fileOf(t.id), 'utf8')),
    ].join('\n');
    for (const secret of [AGENT_SECRET, MODEL_KEY]) assert.ok(!everything.includes(secret), `a key leaked into events, runlogs, results, records, evidence or logs`);
  });
});
