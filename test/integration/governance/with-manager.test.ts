// Governance wired into the real Manager: approval gates that pause a task until the Director decides, and a budget
// that halts a run. In-process employees (containers are not the point here).
import assert from 'node:assert/strict';
import { systemClock } from '../../../core/domain/clock';
import { AuraError } from '../../../core/domain/errors';
import type { ApprovalsService } from '../../../core/governance/approvals/approvals-service';
import { createOrchestrator, type Orchestrator } from '../../../core/orchestrator';
import type { Assignment } from '../../../core/workforce/worker';
import { waitFor, waitForRun } from '../manager/manager-harness';
import { behaviours, createInProcessWorkforce, hireInProcess, type InProcessWorkforce } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { createHarness, director, type Harness } from './harness';

const gated = 'rules:\n  - name: docs-need-approval\n    on: [task]\n    when: task.kind == "doc"\n    action: require_approval\n    reason: Documentation is reviewed before it is written.\n';

describeStores('governance with the Manager', (ctx) => {
  let h: Harness;
  let orchestrator: Orchestrator;
  let workforce: InProcessWorkforce;
  let approvals: ApprovalsService;

  before(async function () {
    this.timeout(30_000);
    h = await createHarness(ctx.store, { clock: systemClock });
    // Tasks with one-letter keys cost a cent each: the budget test's run crosses its budget on the third.
    workforce = createInProcessWorkforce((a: Assignment) => {
      // The "push" task asks the command gate first, as an employee's container does before each command.
      if (a.task.id === 'push') return async () => {
        const gate = await h.gov.commandGate({ assignment: a, kind: 'command', name: 'shell', command: 'git push --force origin main', paths: [] });
        if (gate.action !== 'allow') throw new AuraError('policy_denied', `git push was ${gate.action === 'deny' ? 'denied' : 'held'} by policy rule "${gate.rule}"`);
        return behaviours.succeed('pushed')(a, {} as never);
      };
      return behaviours.succeed('done', a.task.id.length === 1 ? 0.01 : 0.001);
    });
    orchestrator = createOrchestrator({ core: h.ctx, workers: workforce.factory, employees: h.registry, governance: h.gov.port, options: { pollMs: 100, leaseMs: 10_000, employeeRefreshMs: 0, stopGraceMs: 0, backoffMs: [50] } });
    approvals = h.gov.connect(orchestrator);
    await hireInProcess(h.registry, ['solo'], { maxConcurrent: 1 });
    await h.gov.policies.set('gated', gated, director.actor);
    await h.gov.enforcer.start();
    await orchestrator.start();
  });
  after(async () => {
    await orchestrator.stop(0);
    await h.gov.enforcer.stop();
    h.close();
  });

  const prd = '# Docs\n- `write-docs`: Write the API guide (kind: doc)\n- `build`: Build the client (after `write-docs`)\n';
  const pendingOf = (runId: string) => waitFor(ctx.store, async () => (await approvals.list({ status: 'pending', runId }))[0], 15_000, `an approval in ${runId}`);

  it('pauses a task a policy sends for approval, shows a preview with the rule, and runs it once the Director approves (with edits)', async () => {
    const run = await orchestrator.runs.submit({ prd, policySet: 'gated' }, director.actor);
    const pending = await pendingOf(run.id);
    assert.deepEqual([pending.kind, pending.rule, pending.preview.task?.key, pending.preview.policyRule?.when], ['task', 'docs-need-approval', 'write-docs', 'task.kind == "doc"']);
    assert.equal(workforce.calls.filter((c) => c.runId === run.id).length, 0, 'nothing ran while the approval was pending');
    await assert.rejects(approvals.approve({ actor: 'operator:ci', role: 'operator' }, pending.id), (e: unknown) => AuraError.is(e, 'forbidden'));
    const decided = await approvals.approve(director, pending.id, { note: 'fine', edits: { title: 'Write the API guide (v2)' } });
    assert.deepEqual([decided.status, decided.decidedBy], ['approved', director.actor]);
    const done = await waitForRun(ctx.store, orchestrator, run.id, ['succeeded']);
    assert.deepEqual(done.tasks.map((t) => [t.key, t.status]), [['write-docs', 'succeeded'], ['build', 'succeeded']]);
    assert.equal(done.tasks[0]!.title, 'Write the API guide (v2)');
    const granted = await h.ctx.events.query({ runId: run.id, types: ['ApprovalGranted'] });
    assert.deepEqual(granted.map((e) => [e.actor, (e.payload as { by: string }).by]), [[director.actor, director.actor]]);
  });

  it('holds a command a policy sends for approval; once approved, the task runs again and the command is allowed', async () => {
    const run = await orchestrator.runs.submit({ prd: '# Ship\n- `push`: Push the release branch\n' }, director.actor);
    // The attempt that asked ends (a running attempt cannot wait for a person); the held command waits instead.
    await waitForRun(ctx.store, orchestrator, run.id, ['partial']);
    const held = await pendingOf(run.id);
    assert.deepEqual([held.kind, held.rule, held.preview.command, held.preview.task?.status], ['tool', 'destructive-git-needs-approval', 'git push --force origin main', 'dead_letter']);
    assert.equal(held.evidence.length >= 1, true);
    await approvals.approve(director, held.id, { note: 'release day' });
    const done = await waitForRun(ctx.store, orchestrator, run.id, ['succeeded']);
    assert.deepEqual(done.tasks.map((t) => [t.key, t.status, t.attempt]), [['push', 'succeeded', 2]]);
    const decided = await approvals.get(held.id);
    assert.deepEqual([decided.status, decided.decidedBy, decided.note], ['approved', director.actor, 'release day']);
    // Archived when it first ended (partial), and again when it finished: the archive is the final one.
    const archived = await waitFor(ctx.store, async () => (await h.gov.archive.get(run.id).catch(() => null))?.outcome === 'succeeded' && h.gov.archive.get(run.id), 15_000, 'the final archive');
    assert.deepEqual([archived.outcome, archived.intact, archived.body.tasks[0]!.status], ['succeeded', true, 'succeeded']);
  });

  it('keeps the branch stopped when the Director rejects, recording who rejected and why', async () => {
    const run = await orchestrator.runs.submit({ prd, policySet: 'gated' }, director.actor);
    const pending = await pendingOf(run.id);
    await assert.rejects(approvals.reject(director, pending.id, '  '), /needs a reason/);
    const rejected = await approvals.reject(director, pending.id, 'not this quarter');
    assert.deepEqual([rejected.status, rejected.note], ['rejected', 'not this quarter']);
    const after = await waitForRun(ctx.store, orchestrator, run.id, ['blocked']);
    assert.deepEqual(after.tasks.map((t) => [t.key, t.status, t.blockedBy]), [['write-docs', 'dead_letter', []], ['build', 'pending', ['write-docs']]]);
    assert.match(after.tasks[0]!.lastError!, /rejected by director:local: not this quarter/);
    const [event] = await h.ctx.events.query({ runId: run.id, types: ['ApprovalRejected'] });
    assert.deepEqual(event!.payload, { approvalId: pending.id, by: director.actor, reason: 'not this quarter' });
    assert.equal(workforce.calls.filter((c) => c.runId === run.id).length, 0);
  });

  it('halts a run when its cost crosses the budget: CostLimitExceeded with evidence, the run paused, no work started after it', async () => {
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((k) => `- \`${k}\`: Write part ${k} (kind: doc)`).join('\n');
    const run = await orchestrator.runs.submit({ prd: `# Parts\n${tasks}\n`, budgetUsd: 0.025 }, director.actor);
    const limit = await waitFor(ctx.store, async () => (await h.ctx.events.query({ runId: run.id, types: ['CostLimitExceeded'] }))[0], 15_000, 'the budget crossed');
    const p = limit.payload as { scope: string; action: string; spentUsd: number; evidenceHash: string };
    assert.deepEqual([p.scope, p.action, p.spentUsd], [`run:${run.id}`, 'halt', 0.03]);
    assert.equal((await h.gov.evidence.get(p.evidenceHash)).intact, true);
    const paused = await waitForRun(ctx.store, orchestrator, run.id, ['paused']);
    assert.match(paused.statusReason ?? '', /budget/);
    const [pause] = await h.ctx.events.query({ runId: run.id, types: ['RunPaused'] });
    assert.equal(pause!.actor, 'accountant');
    // The Manager may claim the next task in the very transaction that records the third result (and the crossing);
    // nothing starts after that: the run is paused and its last task waits.
    const assigned = await h.ctx.events.query({ runId: run.id, types: ['TaskAssigned'] });
    assert.ok(assigned.every((e) => e.id < limit.id), 'no task was assigned after the crossing was recorded');
    assert.ok(assigned.length === 3 || assigned.length === 4, `${assigned.length} tasks started`);
    const waiting = (await orchestrator.runs.get(run.id)).tasks.filter((t) => t.status === 'ready' || t.status === 'awaiting_approval');
    assert.equal(waiting.length, 5 - assigned.length);
  });
});
