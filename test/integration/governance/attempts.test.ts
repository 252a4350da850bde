// Governance after each attempt, on a real database: leaderboard from scripted history, HR rules, scope violations in a
// real git workspace, forbidden commands, budget overruns, tool gates, the refusal to be disabled, and archives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import { AuraError } from '../../../core/domain/errors';
import { rebuildFactsFromEvents } from '../../../core/governance/accountant/attempt-facts';
import type { EventType } from '../../../core/events/catalog';
import { createRunlogs, type Runlogs } from '../../../core/workforce/workers/runlog';
import type { Workspace } from '../../../core/workspace/workspace';
import { describeStores } from '../../support/stores';
import { createHarness, director, type Harness } from './harness';

describeStores('governance at work', (ctx) => {
  let h: Harness;
  let workspace: Workspace;
  let runlogs: Runlogs;
  const released: string[] = [];
  const paused: string[] = [];
  before(async function () {
    this.timeout(30_000);
    const home = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'aura-gov-ws-'));
    workspace = createGitWorkspace({ workspacesDir: path.join(home, 'workspaces') });
    runlogs = createRunlogs({ store: ctx.store, snapshotsDir: path.join(home, 'snapshots') });
    h = await createHarness(ctx.store, { workspace, runlogs });
    h.gov.enforcer.attach({ releaseEmployee: async (id) => void released.push(id), pauseRun: async (id) => void paused.push(id) });
    await h.gov.enforcer.start();
  });
  after(async () => {
    await h.gov.enforcer.stop();
    h.close();
  });

  const types = async (runId: string, wanted: EventType[]) => (await h.ctx.events.query({ runId, types: wanted, limit: 1000 })).map((e) => e.type);

  it('orders the leaderboard as the scripted history says', async () => {
    // Four employees, scripted: steady succeeds every time; decent fails 2 of 8; sloppy hands in a malformed result
    // every other time (the schema layer fails it); flaky fails 5 of 8. Kind "doc": no workspace, no acceptance commands.
    const names = ['lb-steady', 'lb-decent', 'lb-flaky', 'lb-sloppy'];
    const staff = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await h.hire(n, { skills: ['doc'] })])));
    const run = h.run('run_lb');
    const script: Record<string, Array<'ok' | 'fail' | 'wrong'>> = {
      'lb-steady': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
      'lb-decent': ['ok', 'fail', 'ok', 'ok', 'ok', 'fail', 'ok', 'ok'],
      'lb-flaky': ['fail', 'ok', 'fail', 'fail', 'ok', 'fail', 'fail', 'ok'],
      'lb-sloppy': ['ok', 'wrong', 'ok', 'wrong', 'ok', 'wrong', 'ok', 'wrong'],
    };
    for (const [name, steps] of Object.entries(script)) {
      for (const [i, step] of steps.entries()) {
        const task = h.task({ id: `${name}-${i}`, kind: 'doc', scope: ['docs/**'] });
        const a = h.assignment(run, task, staff[name]!, 1, `lb-${name}-${i}`);
        const result =
          step === 'fail'
            ? h.result({ status: 'failed', summary: `could not finish ${i}` })
            : step === 'wrong'
              ? ({ status: 'succeeded', summary: '', telemetry: { tokensIn: 1, tokensOut: 1, latencyMs: 1, costUsd: 0, model: 'm' } } as never)
              : h.result();
        await h.attempt(a, result);
      }
    }
    const board = await h.gov.accountant.leaderboard({ kind: 'doc' });
    assert.deepEqual(board.map((e) => e.name), ['lb-steady', 'lb-decent', 'lb-sloppy', 'lb-flaky']);
    assert.deepEqual(board.map((e) => e.verified), [8, 6, 4, 3]);
    assert.ok(board[0]!.score > board[1]!.score && board[1]!.score > board[2]!.score && board[2]!.score > board[3]!.score);
    const metrics = await h.ctx.metrics.registry.getSingleMetricAsString('aura_employee_score');
    assert.match(metrics, new RegExp(`aura_employee_score\\{employee_id="${staff['lb-steady']!.id}",employee="lb-steady",kind="doc"\\} \\d+`));
    // The facts are a projection of AttemptAssessed events: rebuilt from the events alone, the board is the same.
    assert.ok((await rebuildFactsFromEvents(ctx.store, h.ctx.events)) >= 32);
    assert.deepEqual((await h.gov.accountant.leaderboard({ kind: 'doc' })).map((e) => [e.name, e.score]), board.map((e) => [e.name, e.score]));
    const ranked = await h.gov.port.rankEmployees(h.task({ id: 'next', kind: 'doc' }), [staff['lb-flaky']!, staff['lb-steady']!]);
    assert.equal(ranked[0]!.profile.name, 'lb-steady');
  });

  it('puts an employee on probation after 3 consecutive verification failures, and records each step', async () => {
    const e = await h.hire('hr-three');
    const run = h.run('run_hr');
    for (let i = 1; i <= 3; i++) {
      const verdict = await h.attempt(h.assignment(run, h.task({ id: `hr${i}`, kind: 'doc', scope: [] }), e, 1, `hr-${i}`), { status: 'succeeded', summary: '', telemetry: { tokensIn: 0, tokensOut: 0, latencyMs: 5, costUsd: 0, model: 'm' } } as never);
      assert.equal(verdict!.passed, false);
      assert.equal((await h.registry.get(e.id)).status, i < 3 ? 'hired' : 'probation');
    }
    const [probation] = await h.ctx.events.query({ types: ['EmployeeOnProbation'] });
    assert.deepEqual(probation!.payload, { employeeId: e.id, reason: '3 consecutive verification failures' });
    assert.equal((await h.registry.get(e.id)).tier, 'probation');
    assert.equal((await types('run_hr', ['VerificationFailed'])).length, 3);
  });

  it('catches a scope violation in a real git workspace: its event carries evidence and the configured action fails the attempt', async () => {
    const e = await h.hire('scope-stray');
    const run = h.run('run_scope');
    await workspace.openRun(run.id);
    const task = h.task({ id: 'feature', scope: ['src/**'] });
    const a = h.assignment(run, task, e, 1, 'scope-feature');
    const wt = await workspace.prepareTask(a);
    fs.mkdirSync(path.join(wt.path, 'src'), { recursive: true });
    fs.writeFileSync(path.join(wt.path, 'src', 'feature.ts'), 'export const x = 1;\n');
    fs.writeFileSync(path.join(wt.path, 'package.json'), '{"name":"changed"}\n');
    const commit = await workspace.commitTask(a, 'feature', { name: 'scope-stray', email: 'e@aura.invalid' });
    const verdict = await h.attempt(a, h.result({ commit: commit.commit }));
    assert.equal(verdict!.passed, false);
    assert.match(verdict!.reason!, /outside the task's scope.*package\.json/);
    const [anomaly] = await h.ctx.events.query({ runId: run.id, types: ['AnomalyDetected'] });
    const payload = anomaly!.payload as { kind: string; action: string; evidenceHash: string };
    assert.deepEqual([payload.kind, payload.action], ['scope_violation', 'fail_attempt']);
    const evidence = await h.gov.evidence.get(payload.evidenceHash);
    assert.equal(evidence.intact, true);
    assert.deepEqual((evidence.body.content as { details: { outside: string[] } }).details.outside, ['package.json']);
    const [failed] = await h.ctx.events.query({ runId: run.id, types: ['VerificationFailed'] });
    const scopeEvidence = await h.gov.evidence.get((failed!.payload as { evidenceHash: string }).evidenceHash);
    assert.match((scopeEvidence.body.content as { diff: string }).diff, /\+\{"name":"changed"\}/);
  });

  it('accepts, flagged, a change beyond an inferred scope, and fails one that touches a protected file', async () => {
    const e = await h.hire('scope-drift');
    const run = h.run('run_scope_inferred');
    await workspace.openRun(run.id);
    const change = async (id: string, attempt: number, scope: { scope: string[]; scopeSource: 'inferred' | 'default' }, files: Record<string, string>) => {
      const a = h.assignment(run, h.task({ id, ...scope }), e, attempt, `${id}-${attempt}`);
      const wt = await workspace.prepareTask(a);
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(wt.path, file)), { recursive: true });
        fs.writeFileSync(path.join(wt.path, file), text);
      }
      const commit = await workspace.commitTask(a, id, { name: 'scope-drift', email: 'e@aura.invalid' });
      return h.attempt(a, h.result({ commit: commit.commit }));
    };
    const drift = await change('alpha', 1, { scope: ['alpha.txt'], scopeSource: 'inferred' }, { 'alpha.txt': 'alpha\n', 'alpha.test.sh': 'grep alpha alpha.txt\n' });
    assert.equal(drift!.passed, true);
    const passed = (await h.ctx.events.query({ runId: run.id, types: ['VerificationPassed'] })).map((x) => x.payload as { layer: string; details?: Record<string, unknown> });
    assert.deepEqual(passed.find((p) => p.layer === 'scope')!.details, { outside: ['alpha.test.sh'], judgment: 'flag', rule: 'inferred-scope-drift-is-flagged', flagged: true });
    const [anomaly] = await h.ctx.events.query({ runId: run.id, types: ['AnomalyDetected'] });
    assert.equal((anomaly!.payload as { kind: string }).kind, 'scope_violation');
    // The attempt's bundle shows the work itself: what changed, and the diff.
    const [recorded] = await h.ctx.events.query({ runId: run.id, types: ['EvidenceRecorded'] });
    const bundle = (await h.gov.evidence.get((recorded!.payload as { evidenceHash: string }).evidenceHash)).body.content as { changedFiles: string[]; diff: string; modelCalls: unknown[] };
    assert.deepEqual(bundle.changedFiles, ['alpha.test.sh', 'alpha.txt']);
    assert.match(bundle.diff, /\+grep alpha alpha\.txt/);
    assert.deepEqual(bundle.modelCalls, []);

    const secret = await change('ci', 1, { scope: ['**', '!.github/**'], scopeSource: 'default' }, { 'src/a.ts': 'x\n', '.github/workflows/ci.yml': 'on: push\n' });
    assert.equal(secret!.passed, false);
    assert.match(secret!.reason!, /outside the task's scope \(the repository minus protected paths\): \.github\/workflows\/ci\.yml — policy protected-files-outside-scope-fail/);
  });

  it('suspends an employee that ran a forbidden command, records the violation with evidence, and releases its work', async () => {
    const e = await h.hire('rogue');
    const run = h.run('run_forbidden');
    const a = h.assignment(run, h.task({ id: 'cleanup', kind: 'command', scope: [] }), e, 1, 'forbidden-cleanup');
    const log = await runlogs.open(a);
    await log.add({ kind: 'command', command: 'ls -la', exitCode: 0, durationMs: 3, reason: 'exited', stdout: 'total 0' });
    await log.add({ kind: 'command', command: 'sudo rm -rf /var/lib', exitCode: 1, durationMs: 4, reason: 'exited', stderr: 'sudo: not found' });
    const verdict = await h.attempt(a, h.result());
    assert.equal(verdict!.passed, false);
    assert.match(verdict!.reason!, /forbidden command: "sudo rm -rf \/var\/lib" \(rule forbidden-commands\)/);
    assert.equal((await h.registry.get(e.id)).status, 'suspended');
    const anomalies = (await h.ctx.events.query({ runId: run.id, types: ['AnomalyDetected'] })).map((x) => x.payload as { kind: string; action: string; evidenceHash: string });
    assert.deepEqual(anomalies.map((x) => [x.kind, x.action]), [['forbidden_command', 'suspend']]);
    const bundle = await h.gov.evidence.get(((await h.ctx.events.query({ runId: run.id, types: ['EvidenceRecorded'] }))[0]!.payload as { evidenceHash: string }).evidenceHash);
    const commands = (bundle.body.content as { commands: Array<{ command: string; stderr: string }> }).commands;
    assert.deepEqual(commands.map((c) => c.command), ['ls -la', 'sudo rm -rf /var/lib']);
    const [violation] = await h.ctx.events.query({ runId: run.id, types: ['PolicyViolation'] });
    assert.equal((violation!.payload as { rule: string }).rule, 'forbidden-commands');
    const [suspended] = await h.ctx.events.query({ types: ['EmployeeSuspended'] });
    assert.match((suspended!.payload as { reason: string }).reason, /forbidden command.*→ suspension/);
    await h.gov.enforcer.drain();
    assert.ok(released.includes(e.id));
    const decision = await h.gov.port.beforeTask(h.task({ id: 'more' }), e, run);
    assert.deepEqual([decision.action, (decision as { rule: string }).rule], ['deny', 'hr-status']);
  });

  it('halts a run whose cost crosses its budget: CostLimitExceeded with evidence, further tasks held, the run paused', async () => {
    const e = await h.hire('spender');
    const run = h.run('run_budget', { budgetUsd: 0.05 });
    await h.gov.port.checkPlan({ title: 'B', tasks: [h.task({ id: 'b1', kind: 'doc' })] }, run);
    for (let i = 1; i <= 2; i++) await h.attempt(h.assignment(run, h.task({ id: `b${i}`, kind: 'doc' }), e, 1, `budget-${i}`), h.result({ telemetry: { tokensIn: 1000, tokensOut: 1000, latencyMs: 100, costUsd: 0.03, model: 'm' } }));
    const limits = await h.ctx.events.query({ runId: run.id, types: ['CostLimitExceeded'] });
    assert.equal(limits.length, 1, 'reported once, when crossed');
    const p = limits[0]!.payload as { scope: string; action: string; rule: string; spentUsd: number; limitUsd: number; evidenceHash: string };
    assert.deepEqual([p.scope, p.action, p.rule, p.spentUsd, p.limitUsd], ['run:run_budget', 'halt', 'budget-exceeded-halts', 0.06, 0.05]);
    const evidence = await h.gov.evidence.get(p.evidenceHash);
    assert.equal((evidence.body.content as { costs: { totalUsd: number } }).costs.totalUsd, 0.06);
    const next = await h.gov.port.beforeTask(h.task({ id: 'b3', kind: 'doc' }), e, { ...run, costUsd: 0 });
    assert.deepEqual([next.action, (next as { rule: string }).rule], ['require_approval', 'run-over-budget-holds-work']);
    await h.gov.enforcer.drain();
    assert.deepEqual(paused, [run.id]);
    const rollup = await h.gov.ledger.rollup(ctx.store, run.id);
    assert.deepEqual([rollup.totalUsd, rollup.byTask.length, rollup.byEmployee[0]!.costUsd], [0.06, 2, 0.06]);
  });

  it('holds a destructive git command for approval before it runs, with evidence', async () => {
    const e = await h.hire('pusher');
    const a = h.assignment(h.run('run_gate'), h.task({ id: 'push' }), e, 1, 'gate-push');
    const decision = await h.gov.commandGate({ assignment: a, kind: 'command', name: 'shell', command: 'git push --force origin main', paths: [] });
    assert.deepEqual(decision, { action: 'require_approval', rule: 'destructive-git-needs-approval', reason: (decision as { reason: string }).reason });
    assert.deepEqual(await h.gov.commandGate({ assignment: a, kind: 'command', name: 'shell', command: 'npm test', paths: [] }), { action: 'allow' });
    const [violation] = await h.ctx.events.query({ runId: 'run_gate', types: ['PolicyViolation'] });
    const evidence = await h.gov.evidence.get((violation!.payload as { evidenceHash: string }).evidenceHash);
    assert.equal((evidence.body.content as { tool: { command: string } }).tool.command, 'git push --force origin main');
  });

  it('refuses every request to disable governance, and records who asked and why not', async () => {
    for (const component of ['auditor', 'hr']) {
      await assert.rejects(h.gov.hr.requestDisable({ actor: 'director:local', role: 'director' }, component, 'it slows us down'), (e: unknown) => AuraError.is(e, 'forbidden') && /cannot be disabled/.test(e.message));
    }
    const refused = await h.ctx.events.query({ types: ['GovernanceDisableRefused'] });
    assert.deepEqual(refused.slice(-2).map((r) => (r.payload as { component: string }).component), ['auditor', 'hr']);
    assert.match((refused.at(-1)!.payload as { reason: string }).reason, /asked because: it slows us down/);
  });

  it("lets only the Director rate work or change an employee's status, recording refusals", async () => {
    const e = await h.hire('rated');
    await h.gov.hr.rate(director, { employeeId: e.id, rating: 9, note: 'clean work' });
    await assert.rejects(h.gov.hr.rate({ actor: 'employee:emp_x', role: 'employee' }, { employeeId: e.id, rating: 10 }), (x: unknown) => AuraError.is(x, 'forbidden'));
    await assert.rejects(h.gov.hr.setStatus({ actor: 'operator:ci', role: 'operator' }, e.id, 'terminated', 'no'), (x: unknown) => AuraError.is(x, 'forbidden'));
    assert.equal((await h.gov.hr.setStatus(director, e.id, 'active', 'trusted')).status, 'active');
    const refused = await h.ctx.events.query({ types: ['GovernanceRequestRefused'] });
    assert.deepEqual(refused.map((r) => r.actor), ['employee:emp_x', 'operator:ci']);
    const card = (await h.gov.accountant.cards(ctx.store, [e.id], '*')).get(e.id)!;
    assert.ok(card.satisfaction > 0.8, String(card.satisfaction));
  });

  it('archives a finished run with its plan, results, evidence and scores, viewable and verifiable later', async () => {
    const runId = 'run_scope';
    await h.ctx.events.append({ type: 'RunCompleted', runId, actor: 'manager', payload: { outcome: 'partial', costUsd: 0.01, succeeded: 0, skipped: 0, deadLettered: 1 } });
    await h.gov.enforcer.drain();
    const archived = await h.gov.archive.get(runId);
    assert.equal(archived.intact, true);
    assert.equal(archived.outcome, 'partial');
    assert.ok(archived.body.evidence.length >= 3);
    assert.equal(archived.body.scores.length, 1);
    assert.equal(archived.body.tasks[0]!.attempts[0]!.assessed, 'failed');
    assert.equal(archived.body.anomalies.length, 1);
    assert.deepEqual((await types(runId, ['RunArchived'])).length, 1);
    assert.deepEqual((await h.gov.archive.list()).map((x) => x.runId), [runId]);
  });
});
