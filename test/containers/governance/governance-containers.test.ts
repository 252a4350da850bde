// Governance on real containers and a real PostgreSQL, with the real Manager: the Auditor runs acceptance checks itself
// in fresh containers on the task's commit (a fake success is caught, scored down, put on probation, and the task goes
// to someone else); a forbidden command in an employee's container is refused, recorded and punished; HR's suspension
// kills the employee's running containers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assembleEmployeesAtWork } from '../../../adapters/employees-at-work';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import { systemClock } from '../../../core/domain/clock';
import { createOrchestrator, type Orchestrator } from '../../../core/orchestrator';
import type { Employee } from '../../../core/workforce/employee';
import type { BaseModelWorker, WorkResult } from '../../../core/workforce/worker';
import { openAttemptContainer } from '../../../core/workforce/workers/attempt-container';
import { createAttemptControl } from '../../../core/workforce/workers/attempt-control';
import { createRunlogs } from '../../../core/workforce/workers/runlog';
import { createHarness, director, type Harness } from '../../integration/governance/harness';
import { waitFor, waitForRun } from '../../integration/manager/manager-harness';
import { describeStores } from '../../support/stores';
import { ensureWorkerImage, testRuntime } from '../support/engine';

const telemetry = { tokensIn: 100, tokensOut: 40, latencyMs: 1_500, costUsd: 0.002, model: 'scripted' };

describeStores(
  'governance on real containers',
  (ctx) => {
    let h: Harness;
    let orchestrator: Orchestrator;
    let repo: string;
    let image: string;
    /** What each employee (by name) does in its worktree. */
    const work: Record<string, (workdir: string, employee: Employee, a: Parameters<BaseModelWorker['execute']>[0], signal: AbortSignal) => Promise<WorkResult>> = {};
    const control = createAttemptControl();

    before(async function () {
      this.timeout(240_000);
      image = await ensureWorkerImage();
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-gov-c-'));
      const workspace = createGitWorkspace({ workspacesDir: path.join(home, 'workspaces') });
      const runlogs = createRunlogs({ store: ctx.store, snapshotsDir: path.join(home, 'snapshots') });
      h = await createHarness(ctx.store, { clock: systemClock, workspace, runtime: testRuntime(), runlogs, checkImage: image });
      // The target repository: its acceptance check passes only when src/answer.txt says 42.
      repo = path.join(home, 'repo');
      fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'check.sh'), '#!/bin/sh\n[ "$(cat src/answer.txt)" = "42" ] || { echo "wrong answer: $(cat src/answer.txt)"; exit 1; }\necho ok\n');
      fs.writeFileSync(path.join(repo, 'src', 'answer.txt'), '0\n');
      const g = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
      execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo]);
      g('add', '-A');
      g('commit', '--quiet', '-m', 'start');
      const inProcess = (employee: Employee): BaseModelWorker => ({
        capabilities: { provider: 'in-process', model: 'scripted', kinds: ['code', 'command', 'doc'], structuredOutput: true, isolated: false },
        execute: (a, context) => work[employee.profile.name]!(context.workdir!, employee, a, context.signal),
        cancel: (taskId) => control.cancel(taskId),
      });
      const atWork = assembleEmployeesAtWork({ core: h.ctx, runtime: testRuntime(), defaultImage: image, governance: h.gov.port, commandGate: h.gov.commandGate, inProcess, workspace, runlogs });
      orchestrator = createOrchestrator({
        core: h.ctx,
        workers: atWork.workers,
        governance: atWork.governance,
        employees: h.registry,
        canRunNow: atWork.canRunNow,
        // The 4th attempt waits 3 s: long enough for the test to hire the second employee after the probation.
        options: { pollMs: 100, leaseMs: 30_000, employeeRefreshMs: 0, stopGraceMs: 0, backoffMs: [50, 50, 3_000, 50, 50] },
      });
      h.gov.connect(orchestrator);
      await h.gov.enforcer.start();
      await orchestrator.start();
      // A faker writes the wrong answer and claims its checks passed; an honest one writes the right one.
      const writeAnswer = (answer: string) => async (workdir: string): Promise<WorkResult> => {
        fs.writeFileSync(path.join(workdir, 'src', 'answer.txt'), `${answer}\n`);
        return { status: 'succeeded', summary: 'Wrote the answer; all acceptance checks pass.', claimsChecksPassed: true, telemetry };
      };
      work['faker'] = writeAnswer('41');
      work['honest'] = writeAnswer('42');
      // A rogue employee tries a forbidden command inside its own container.
      work['rogue'] = async (workdir, _employee, a, signal) => {
        const scope = control.begin(a.taskId, signal, a.deadline);
        const runlog = await runlogs.open(a);
        const container = await openAttemptContainer({ env: { runtime: testRuntime(), defaultImage: image, events: h.ctx.events, commandGate: h.gov.commandGate }, assignment: a, scope, runlog, workdir });
        try {
          await container.run('ls');
          await container.run('sudo rm -rf /workspace/src');
          return { status: 'succeeded', summary: 'cleaned up', telemetry };
        } finally {
          await container.close();
          scope.end();
        }
      };
    });
    after(async () => {
      await orchestrator?.stop(0);
      await h?.gov.enforcer.stop();
      h?.close();
    });

    it('catches a fake success with its own checks, scores it down, puts the employee on probation after 3, and the task succeeds with another employee', async function () {
      this.timeout(180_000);
      const faker = await h.hire('faker', { skills: [] });
      const run = await orchestrator.runs.submit({ prd: '# Answer\n- `answer`: Put the answer in src/answer.txt (kind: code) (attempts: 6)\n  - scope: src/**\n  - check: `sh check.sh`\n', workspace: repo }, director.actor);
      await waitFor(ctx.store, async () => (await h.ctx.events.query({ types: ['EmployeeOnProbation'] })).find((e) => (e.payload as { employeeId: string }).employeeId === faker.id), 120_000, 'the faker on probation');
      const honest = await h.hire('honest', { skills: [] });
      const done = await waitForRun(ctx.store, orchestrator, run.id, ['succeeded'], 120_000);

      const assessed = (await h.ctx.events.query({ runId: run.id, types: ['AttemptAssessed'] })).map((e) => e.payload as { employeeId: string; outcome: string; claimsMismatch: boolean; attempt: number });
      assert.deepEqual(assessed.map((x) => [x.attempt, x.employeeId === faker.id ? 'faker' : 'honest', x.outcome, x.claimsMismatch]), [
        [1, 'faker', 'failed', true],
        [2, 'faker', 'failed', true],
        [3, 'faker', 'failed', true],
        [4, 'honest', 'verified', false],
      ]);
      // The Auditor's own check, in a fresh container on the faker's commit, is the evidence.
      const failedChecks = (await h.ctx.events.query({ runId: run.id, types: ['VerificationFailed'] })).filter((e) => (e.payload as { layer: string }).layer === 'acceptance');
      assert.equal(failedChecks.length, 3);
      const evidence = await h.gov.evidence.get((failedChecks[0]!.payload as { evidenceHash: string }).evidenceHash);
      const checks = evidence.body.content as { commit: string; commands: Array<{ command: string; exitCode: number; stdout: string }>; claimsChecksPassed: boolean };
      assert.deepEqual([checks.commands[0]!.command, checks.commands[0]!.exitCode, checks.claimsChecksPassed], ['sh check.sh', 1, true]);
      assert.match(checks.commands[0]!.stdout, /wrong answer: 41/);
      assert.match(checks.commit, /^[0-9a-f]{40}$/);
      const claims = (await h.ctx.events.query({ runId: run.id, types: ['AnomalyDetected'] })).map((e) => (e.payload as { kind: string }).kind);
      // Each attempt claimed a pass it did not earn; from the second on, the same failing output again is a loop.
      assert.deepEqual(claims, ['false_claim', 'false_claim', 'loop', 'false_claim', 'loop']);
      assert.equal((await h.registry.get(faker.id)).status, 'probation');
      const board = await h.gov.accountant.leaderboard({ kind: 'code' });
      const score = (id: string) => board.find((e) => e.employeeId === id)!.score;
      assert.ok(score(honest.id) > score(faker.id) + 15, `${score(honest.id)} vs ${score(faker.id)}`);
      // The accepted work is on the run branch.
      assert.equal(done.tasks[0]!.employeeId, honest.id);
      assert.equal(execFileSync('git', ['-C', repo, 'show', `aura/run-${run.id}:src/answer.txt`]).toString(), '42\n');
      await h.gov.hr.setStatus(director, faker.id, 'terminated', 'faked its checks');
      await h.gov.hr.setStatus(director, honest.id, 'suspended', 'leave room for the next test');
    });

    it('refuses a forbidden command in an employee container, records the violation with evidence, and suspends the employee', async function () {
      this.timeout(120_000);
      const rogue = await h.hire('rogue', { skills: [] });
      const run = await orchestrator.runs.submit({ prd: '# Tidy\n- `tidy`: Tidy up the sources (kind: code)\n  - scope: src/**\n', workspace: repo }, director.actor);
      const after = await waitForRun(ctx.store, orchestrator, run.id, ['partial'], 90_000);
      assert.equal(after.tasks[0]!.status, 'dead_letter');
      assert.match(after.tasks[0]!.lastError!, /denied by policy rule "forbidden-commands"/);
      const violations = (await h.ctx.events.query({ runId: run.id, types: ['PolicyViolation'] })).map((e) => e.payload as { rule: string; subject: string; evidenceHash?: string });
      assert.deepEqual(violations.map((v) => [v.rule, v.subject]), [
        ['forbidden-commands', 'command:sudo rm -rf /workspace/src'],
        ['forbidden-commands', 'command:sudo rm -rf /workspace/src'],
      ]);
      const gateEvidence = await h.gov.evidence.get(violations[0]!.evidenceHash!);
      assert.equal((gateEvidence.body.content as { decision: { action: string } }).decision.action, 'deny');
      const [anomaly] = await h.ctx.events.query({ runId: run.id, types: ['AnomalyDetected'] });
      assert.deepEqual([(anomaly!.payload as { kind: string }).kind, (anomaly!.payload as { action: string }).action], ['forbidden_command', 'suspend']);
      assert.equal((await h.registry.get(rogue.id)).status, 'suspended');
      const runlog = await createRunlogs({ store: ctx.store, snapshotsDir: os.tmpdir() }).read(after.tasks[0]!.id);
      assert.deepEqual(runlog.map((e) => [e.command, e.reason]), [['ls', 'exited'], ['sudo rm -rf /workspace/src', 'denied']]);
    });

    it("kills a suspended employee's running containers", async function () {
      this.timeout(60_000);
      const sleeper = await h.hire('sleeper', { skills: [] });
      const handle = await testRuntime().run({ image, command: ['sleep', '300'], network: 'none', memoryMb: 64, cpus: 0.5, pids: 32, timeoutMs: 120_000, labels: { 'aura.employee': sleeper.id, 'aura.test': 'governance' } });
      await h.gov.hr.setStatus(director, sleeper.id, 'suspended', 'misconduct');
      const result = await handle.result;
      assert.equal(result.reason, 'killed');
    });
  },
  { only: 'postgres' },
);
