// Team workspaces in the core: the service and its events, migration of a database that held data, and each quota the
// Manager enforces (runs at once, containers at once inside the claim, the monthly budget) — on PostgreSQL and PGlite,
// and across two Managers sharing one PostgreSQL database.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { createCostLedger } from '../../../core/governance/budget/cost-ledger';
import { createOrchestrator, type Orchestrator } from '../../../core/orchestrator';
import { claimTasks } from '../../../core/queue/claim-tasks';
import { peekReadyTasks } from '../../../core/queue/peek-ready-tasks';
import { migrate } from '../../../core/store/migrations';
import type { Store } from '../../../core/store/store';
import { createWorkspaceService } from '../../../core/tenancy/workspace-service';
import { behaviours, createInProcessWorkforce, hireInProcess, testCore } from '../../support/in-process-workers';
import { createPgDatabase, createPgliteDatabase, describeStores, migrations } from '../../support/stores';
import { startManager, waitForRun } from '../manager/manager-harness';

const prdOf = (n: number, tag: string) => ['## W', ...Array.from({ length: n }, (_, i) => `- \`${tag}${i}\`: ${tag.toUpperCase()} ${i}`)].join('\n');

async function claimAll(store: Store, orch: Orchestrator, runId: string, employeeId: string, now = new Date()) {
  const ready = await peekReadyTasks(store, { limit: 100 });
  const requests = ready.candidates.filter((c) => c.runId === runId).map((c) => ({ taskId: c.id, employeeId, employeeLimit: 50 }));
  return store.transaction(async (tx) => (await claimTasks(tx, { owner: 'test', now, leaseMs: 60_000, cap: 100, requests, actor: 'test' })).claimed);
}

describeStores('Team workspaces', (ctx) => {
  it('creates workspaces with their quotas, changes only the quotas named, and records both', async () => {
    const core = testCore(ctx.store);
    const service = createWorkspaceService(core);
    const made = await service.create({ id: 'team-a', name: 'Team A', maxActiveRuns: 2 }, 'director:test');
    assert.deepEqual([made.id, made.name, made.maxActiveRuns, made.maxContainers, made.monthlyBudgetUsd], ['team-a', 'Team A', 2, null, null]);
    const changed = await service.setQuotas('team-a', { maxContainers: 3, monthlyBudgetUsd: 12.5 }, 'director:test');
    assert.deepEqual([changed.maxActiveRuns, changed.maxContainers, changed.monthlyBudgetUsd], [2, 3, 12.5]);
    assert.deepEqual((await service.list()).map((w) => w.id), ['default', 'team-a']);
    await assert.rejects(service.create({ id: 'team-a' }, 'director:test'), (e: unknown) => AuraError.is(e, 'conflict'));
    await assert.rejects(service.create({ id: 'Team A!' }, 'director:test'), (e: unknown) => AuraError.is(e, 'invalid_input') && /workspace id is 1-63 lower-case/.test(e.message));
    await assert.rejects(service.setQuotas('team-a', {}, 'director:test'), (e: unknown) => AuraError.is(e, 'invalid_input') && /at least one quota/.test(e.message));
    await assert.rejects(service.setQuotas('nobody', { maxContainers: 1 }, 'director:test'), (e: unknown) => AuraError.is(e, 'not_found'));
    const events = await core.events.query({ types: ['WorkspaceCreated', 'WorkspaceQuotasChanged'], limit: 10 });
    assert.deepEqual(
      events.map((e) => [e.type, e.payload]),
      [
        ['WorkspaceCreated', { workspaceId: 'team-a', name: 'Team A', maxActiveRuns: 2, maxContainers: null, monthlyBudgetUsd: null }],
        ['WorkspaceQuotasChanged', { workspaceId: 'team-a', maxContainers: 3, monthlyBudgetUsd: 12.5 }],
      ],
    );
  });

  it('refuses a run over its workspace’s runs at once, leaves other workspaces alone, and admits one when a slot frees', async () => {
    const core = testCore(ctx.store);
    await createWorkspaceService(core).create({ id: 'one-at-a-time', maxActiveRuns: 1 }, 'director:test');
    const orch = createOrchestrator({ core, workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
    const first = await orch.runs.submit({ prd: prdOf(2, 'r'), workspaceId: 'one-at-a-time' }, 'director');
    assert.equal(first.workspaceId, 'one-at-a-time');
    const before = (await ctx.store.query<{ n: number }>('SELECT count(*)::int AS n FROM aura.runs')).rows[0]!.n;
    await assert.rejects(
      orch.runs.submit({ prd: prdOf(2, 'r'), workspaceId: 'one-at-a-time' }, 'director'),
      (e: unknown) => AuraError.is(e, 'conflict') && e.message.includes('Workspace "one-at-a-time" already has 1 of its 1 runs at once'),
    );
    assert.equal((await ctx.store.query<{ n: number }>('SELECT count(*)::int AS n FROM aura.runs')).rows[0]!.n, before, 'nothing of the refused run was recorded');
    const elsewhere = await orch.runs.submit({ prd: prdOf(1, 'd') }, 'director');
    assert.equal(elsewhere.workspaceId, 'default');
    await orch.runs.pause(first.id, 'a paused run still holds its slot', 'director');
    await assert.rejects(orch.runs.submit({ prd: prdOf(1, 'r'), workspaceId: 'one-at-a-time' }, 'director'), (e: unknown) => AuraError.is(e, 'conflict'));
    await orch.runs.cancel(first.id, 'free the slot', 'director');
    const second = await orch.runs.submit({ prd: prdOf(1, 'r'), workspaceId: 'one-at-a-time' }, 'director');
    const started = await orch.events.query({ runId: second.id, types: ['RunStarted'], limit: 1 });
    assert.equal((started[0]!.payload as { workspaceId: string }).workspaceId, 'one-at-a-time');
    await assert.rejects(orch.runs.submit({ prd: prdOf(1, 'x'), workspaceId: 'no-such-team' }, 'director'), (e: unknown) => AuraError.is(e, 'not_found'));
    await orch.runs.cancel(second.id, 'done', 'director');
    await orch.runs.cancel(elsewhere.id, 'done', 'director');
  });

  it('claims a task only for an employee of its run’s workspace, and no more of a workspace’s tasks than its containers', async () => {
    const core = testCore(ctx.store);
    await createWorkspaceService(core).create({ id: 'two-boxes', maxContainers: 2 }, 'director:test');
    const orch = createOrchestrator({ core, workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
    const [outsider] = await hireInProcess(orch.employees, [`outsider-${ctx.kind}`], { maxConcurrent: 16 });
    const [insider] = await hireInProcess(orch.employees, [`insider-${ctx.kind}`], { maxConcurrent: 16, workspaceId: 'two-boxes' });
    assert.equal(insider!.workspaceId, 'two-boxes');
    const run = await orch.runs.submit({ prd: prdOf(5, 'c'), workspaceId: 'two-boxes' }, 'director');
    const home = await orch.runs.submit({ prd: prdOf(5, 'h') }, 'director');
    assert.deepEqual(await claimAll(ctx.store, orch, run.id, outsider!.id), [], "an employee of 'default' takes no task of another workspace");
    assert.equal((await claimAll(ctx.store, orch, run.id, insider!.id)).length, 2, 'two containers at once');
    assert.equal((await claimAll(ctx.store, orch, run.id, insider!.id)).length, 0, 'and no third while two run');
    assert.equal((await claimAll(ctx.store, orch, home.id, outsider!.id)).length, 5, "the quota is the workspace's own");
    await orch.runs.cancel(run.id, 'done', 'director');
    await orch.runs.cancel(home.id, 'done', 'director');
  });

  it('stops a workspace’s claims and new runs once its month’s spending reaches the monthly budget; last month does not count', async () => {
    const core = testCore(ctx.store);
    const service = createWorkspaceService(core);
    await service.create({ id: 'thrifty', monthlyBudgetUsd: 1 }, 'director:test');
    const orch = createOrchestrator({ core, workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
    const [worker] = await hireInProcess(orch.employees, [`thrifty-${ctx.kind}`], { maxConcurrent: 16, workspaceId: 'thrifty' });
    const run = await orch.runs.submit({ prd: prdOf(4, 'm'), workspaceId: 'thrifty' }, 'director');
    const ledger = createCostLedger({ clock: core.clock });
    await ledger.recordIn(ctx.store, { key: `${run.id}_spent`, source: 'attempt', runId: run.id, costUsd: 0.6 });
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1) - 3_600_000);
    await ctx.store.query(
      `INSERT INTO aura.cost_ledger (entry_key, source, run_id, cost_usd, occurred_at) VALUES ($1, 'attempt', $2, 5, $3)`,
      [`${run.id}_old`, run.id, lastMonth.toISOString()],
    );
    const rows = (await ctx.store.query<{ workspace_id: string }>('SELECT workspace_id FROM aura.cost_ledger WHERE run_id = $1', [run.id])).rows;
    assert.deepEqual(rows.map((r) => r.workspace_id), ['thrifty', 'thrifty'], 'a ledger row takes its run’s workspace');
    assert.equal((await service.usage('thrifty')).monthSpentUsd, 0.6);
    assert.equal((await claimAll(ctx.store, orch, run.id, worker!.id)).length, 4, 'under budget: claims go on');
    await ctx.store.query(`UPDATE aura.tasks SET status = 'ready', lease_owner = NULL, lease_until = NULL WHERE run_id = $1`, [run.id]);
    await ledger.recordIn(ctx.store, { key: `${run.id}_more`, source: 'attempt', runId: run.id, costUsd: 0.4 });
    assert.deepEqual(await claimAll(ctx.store, orch, run.id, worker!.id), [], 'at the budget: no attempt starts');
    await assert.rejects(
      orch.runs.submit({ prd: prdOf(1, 'n'), workspaceId: 'thrifty' }, 'director'),
      (e: unknown) => AuraError.is(e, 'budget_exceeded') && e.message.includes('Workspace "thrifty" has spent $1.0000 this month, its monthly budget of $1.0000'),
    );
    await service.setQuotas('thrifty', { monthlyBudgetUsd: null }, 'director:test');
    assert.equal((await claimAll(ctx.store, orch, run.id, worker!.id)).length, 4, 'the limit removed, work goes on');
    await orch.runs.cancel(run.id, 'done', 'director');
  });

  it('pauses a running run of a workspace whose month’s spending reached its budget, saying why', async function () {
    this.timeout(30_000);
    const core = testCore(ctx.store);
    await createWorkspaceService(core).create({ id: 'spent', monthlyBudgetUsd: 0.5 }, 'director:test');
    const manager = await startManager(ctx.store, { behaviour: () => behaviours.after(50, behaviours.succeed()), hire: false, start: false });
    try {
      await hireInProcess(manager.orchestrator.employees, [`spent-${ctx.kind}`], { workspaceId: 'spent' });
      await hireInProcess(manager.orchestrator.employees, [`unspent-${ctx.kind}`]);
      const run = await manager.orchestrator.runs.submit({ prd: prdOf(3, 's'), workspaceId: 'spent' }, 'director');
      const other = await manager.orchestrator.runs.submit({ prd: prdOf(1, 'o') }, 'director');
      await createCostLedger({ clock: core.clock }).recordIn(ctx.store, { key: `${run.id}_big`, source: 'attempt', runId: run.id, costUsd: 0.75 });
      await manager.orchestrator.start();
      const paused = await waitForRun(ctx.store, manager.orchestrator, run.id, ['paused'], 20_000);
      assert.equal(paused.statusReason, 'Workspace "spent" has spent $0.7500 this month, its monthly budget of $0.5000: no new attempt starts until the budget is raised (aura workspaces set-quota) or the month ends.');
      const events = await manager.orchestrator.events.query({ runId: run.id, types: ['RunPaused', 'TaskAssigned'], limit: 5 });
      assert.deepEqual(events.map((e) => e.type), ['RunPaused'], 'paused, and no attempt of it started');
      assert.equal((await waitForRun(ctx.store, manager.orchestrator, other.id, ['succeeded'], 20_000)).workspaceId, 'default', "another workspace's run is not touched");
      await manager.orchestrator.runs.cancel(run.id, 'done', 'director');
    } finally {
      await manager.stop();
    }
  });

  it("tells webhook subscriptions (which belong to 'default') only of runs of 'default'", async () => {
    const core = testCore(ctx.store);
    await createWorkspaceService(core).create({ id: 'quiet-team', name: 'Quiet' }, 'director:test');
    await ctx.store.query(
      `INSERT INTO aura.notification_subscriptions (id, name, format, url, event_types, created_by, created_at) VALUES ('ntf_tenancy', 'ops', 'json', 'http://127.0.0.1:9/hook', '{RunCancelled}', 'director:test', now())`,
    );
    const orch = createOrchestrator({ core, workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
    const theirs = await orch.runs.submit({ prd: prdOf(1, 'q'), workspaceId: 'quiet-team' }, 'director');
    const ours = await orch.runs.submit({ prd: prdOf(1, 'o') }, 'director');
    await orch.runs.cancel(theirs.id, 'done', 'director');
    await orch.runs.cancel(ours.id, 'done', 'director');
    const deliveries = await ctx.store.query<{ run_id: string }>(`SELECT run_id FROM aura.notification_deliveries WHERE subscription_id = 'ntf_tenancy'`);
    assert.deepEqual(deliveries.rows.map((r) => r.run_id), [ours.id]);
    await ctx.store.query(`UPDATE aura.notification_subscriptions SET removed_at = now() WHERE id = 'ntf_tenancy'`);
  });

  it("migrates a database that held data into 'default': runs, employees, tokens and the ledger", async function () {
    this.timeout(60_000);
    const db = ctx.kind === 'postgres' ? await createPgDatabase() : await createPgliteDatabase();
    const store = await db.open();
    try {
      const all = migrations();
      await migrate(store, all.filter((m) => m.id < 140));
      await store.query(`INSERT INTO aura.employees (id, name, provider, model, profile) VALUES ('emp_old', 'old', 'in-process', 'm', '{}')`);
      await store.query(
        `INSERT INTO aura.runs (id, title, prd, prd_hash, status, plan, plan_hash, planner, created_by, created_at, updated_at)
         VALUES ('run_old', 'Old', '# Old', 'h', 'running', '{}', 'p', 'structural', 'director', now(), now())`,
      );
      await store.query(`INSERT INTO aura.mcp_tokens (id, name, role, hash) VALUES ('tok_old', 'old', 'viewer', 'abc')`);
      await store.query(`INSERT INTO aura.cost_ledger (entry_key, source, run_id, cost_usd, occurred_at) VALUES ('k', 'attempt', 'run_old', 1, now())`);
      const report = await migrate(store, all);
      assert.ok(report.applied.includes(140));
      const owners = await store.query<{ t: string; w: string }>(
        `SELECT 'run' AS t, workspace_id AS w FROM aura.runs UNION ALL SELECT 'employee', workspace_id FROM aura.employees
         UNION ALL SELECT 'token', workspace_id FROM aura.mcp_tokens UNION ALL SELECT 'ledger', workspace_id FROM aura.cost_ledger ORDER BY 1`,
      );
      assert.deepEqual(owners.rows.map((r) => [r.t, r.w]), [['employee', 'default'], ['ledger', 'default'], ['run', 'default'], ['token', 'default']]);
      assert.deepEqual((await store.query<{ id: string }>('SELECT id FROM aura.workspaces')).rows.map((r) => r.id), ['default']);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

describeStores(
  'Team workspace quotas across Managers',
  (ctx) => {
    it('gives concurrent claims of two Managers no more of a workspace’s tasks than its containers', async function () {
      this.timeout(30_000);
      const core = testCore(ctx.store);
      await createWorkspaceService(core).create({ id: 'three-boxes', maxContainers: 3 }, 'director:test');
      const second = await ctx.db.open();
      const orch = createOrchestrator({ core, workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
      try {
        const [emp] = await hireInProcess(orch.employees, ['three-boxes-worker'], { maxConcurrent: 16, workspaceId: 'three-boxes' });
        const run = await orch.runs.submit({ prd: prdOf(12, 't'), workspaceId: 'three-boxes' }, 'director');
        const ready = await peekReadyTasks(ctx.store, { limit: 50 });
        const requests = ready.candidates.filter((c) => c.runId === run.id).map((c) => ({ taskId: c.id, employeeId: emp!.id, employeeLimit: 16 }));
        assert.equal(requests.length, 12);
        const claims = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? second : ctx.store).transaction(async (tx) => {
              const { claimed, events } = await claimTasks(tx, { owner: `manager-${i % 2 ? 'b' : 'a'}`, now: new Date(), leaseMs: 60_000, cap: 100, requests, actor: 'test' });
              await core.events.appendIn(tx, events);
              return claimed;
            }),
          ),
        );
        assert.equal(claims.flat().length, 3, 'three containers at once, whichever Manager claimed');
        await orch.runs.cancel(run.id, 'done', 'director');
      } finally {
        await second.close();
      }
    });

    it('runs a workspace’s tasks through two Managers within its containers and runs at once', async function () {
      this.timeout(60_000);
      const core = testCore(ctx.store);
      await createWorkspaceService(core).create({ id: 'narrow', maxContainers: 2, maxActiveRuns: 1 }, 'director:test');
      const second = await ctx.db.open();
      const work = () => behaviours.after(100, behaviours.succeed());
      const a = await startManager(ctx.store, { behaviour: work, options: { concurrency: 8, owner: 'manager-a' }, hire: false });
      const b = await startManager(second, { behaviour: work, options: { concurrency: 8, owner: 'manager-b' }, hire: false });
      try {
        await hireInProcess(a.orchestrator.employees, ['narrow-1', 'narrow-2'], { maxConcurrent: 8, workspaceId: 'narrow' });
        // Submitted through both Managers at once: the workspace admits exactly one of the two runs.
        const both = await Promise.allSettled([
          a.orchestrator.runs.submit({ prd: prdOf(10, 'n'), workspaceId: 'narrow' }, 'director'),
          b.orchestrator.runs.submit({ prd: prdOf(10, 'n'), workspaceId: 'narrow' }, 'director'),
        ]);
        assert.equal(both.filter((s) => s.status === 'fulfilled').length, 1, 'one run at once in "narrow"');
        assert.ok(both.some((s) => s.status === 'rejected' && AuraError.is(s.reason, 'conflict')));
        const narrow = (both.find((s) => s.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<Orchestrator['runs']['submit']>>>).value;
        await waitForRun(ctx.store, a.orchestrator, narrow.id, ['succeeded'], 45_000);
        const events = await a.orchestrator.events.query({ runId: narrow.id, types: ['TaskAssigned', 'TaskSucceeded'], limit: 100 });
        let alive = 0;
        let peak = 0;
        for (const e of events) peak = Math.max(peak, (alive += e.type === 'TaskAssigned' ? 1 : -1));
        assert.equal(peak, 2, `${peak} containers of "narrow" at once with a quota of 2 and a global cap of 8`);
      } finally {
        await a.stop();
        await b.stop();
        await second.close();
      }
    });
  },
  { only: 'postgres' },
);
