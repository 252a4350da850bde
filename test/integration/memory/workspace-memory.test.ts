// Memory divided into team workspaces on both stores (docs/tenancy.md): the same key holds an entry of its own in
// each workspace; reads, search, lists, history, as-of reads, proposals and the TTL sweep of one never touch the
// other's; a run of a workspace reads that workspace's memory and leaves its lessons there; migration 160 keeps what
// existed in 'default'.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { lessonsKey } from '../../../core/memory/memory-lessons';
import type { MemoryCaller } from '../../../core/memory/memory-service';
import { createOrchestrator } from '../../../core/orchestrator';
import { migrate } from '../../../core/store/migrations';
import { createWorkspaceService } from '../../../core/tenancy/workspace-service';
import type { Assignment } from '../../../core/workforce/worker';
import { behaviours, createInProcessWorkforce, hireInProcess } from '../../support/in-process-workers';
import { createPgDatabase, createPgliteDatabase, describeStores, migrations } from '../../support/stores';
import { waitForRun } from '../manager/manager-harness';
import { DIRECTOR, movableClock, openMemory } from './memory-harness';

const B = 'team-b';
const IN_B: MemoryCaller = { ...DIRECTOR, workspaceId: B };
const notFound = (e: unknown) => AuraError.is(e, 'not_found');

describeStores('memory divided into team workspaces', (ctx) => {
  before(async () => {
    const { core } = openMemory(ctx.store);
    await createWorkspaceService(core).create({ id: B }, 'director:test');
  });

  it('keeps the same key apart in two workspaces: reads, versions, history, as-of reads and deletion', async () => {
    const { memory } = openMemory(ctx.store);
    const a1 = await memory.put({ scope: 'project', key: 'shared/database', content: 'Default uses PostgreSQL 16.' }, DIRECTOR);
    const b1 = await memory.put({ scope: 'project', key: 'shared/database', content: 'Team B uses SQLite on the edge.' }, IN_B);
    const b2 = await memory.put({ scope: 'project', key: 'shared/database', content: 'Team B moved to DuckDB.' }, IN_B);
    assert.deepEqual([a1.version, b1.version, b2.version], [1, 1, 2], 'each workspace numbers its own versions');
    assert.equal(a1.uri, b2.uri, 'the URI names the entry inside its workspace');
    assert.match((await memory.get({ scope: 'project', key: 'shared/database' }, DIRECTOR)).content, /PostgreSQL 16/);
    assert.match((await memory.get({ scope: 'project', key: 'shared/database' }, IN_B)).content, /DuckDB/);
    assert.deepEqual((await memory.history({ scope: 'project', key: 'shared/database' }, DIRECTOR)).map((v) => v.version), [1]);
    assert.deepEqual((await memory.history({ scope: 'project', key: 'shared/database' }, IN_B)).map((v) => v.version), [2, 1]);
    assert.match((await memory.get({ scope: 'project', key: 'shared/database', version: 1 }, IN_B)).content, /SQLite/);
    assert.match((await memory.get({ scope: 'project', key: 'shared/database', asOf: { at: b1.writtenAt.toISOString() } }, IN_B)).content, /SQLite|DuckDB/);
    await assert.rejects(memory.diff({ scope: 'project', key: 'shared/database', from: 2 }, DIRECTOR), notFound);

    // B alone has this key: default neither reads it now, nor as of any time, nor its history.
    await memory.put({ scope: 'org', key: 'only-b/secret-plan', content: 'Team B launches the zeppelin.' }, IN_B);
    await assert.rejects(memory.get({ scope: 'org', key: 'only-b/secret-plan' }, DIRECTOR), notFound);
    await assert.rejects(memory.get({ scope: 'org', key: 'only-b/secret-plan', asOf: { at: new Date(Date.now() + 60_000).toISOString() } }, DIRECTOR), notFound);
    await assert.rejects(memory.history({ scope: 'org', key: 'only-b/secret-plan' }, DIRECTOR), notFound);

    await memory.delete({ scope: 'project', key: 'shared/database' }, IN_B);
    await assert.rejects(memory.get({ scope: 'project', key: 'shared/database' }, IN_B), notFound);
    assert.match((await memory.get({ scope: 'project', key: 'shared/database' }, DIRECTOR)).content, /PostgreSQL 16/, "B's deletion leaves default's entry");
    await assert.rejects(memory.delete({ scope: 'org', key: 'only-b/secret-plan' }, DIRECTOR), notFound);
  });

  it('names the workspace on its memory events, so the log of one does not carry the other’s keys', async () => {
    const { memory, core } = openMemory(ctx.store);
    await memory.put({ scope: 'org', key: 'evented/b', content: 'an entry of team b' }, IN_B);
    const [written] = (await core.events.query({ stream: 'memory', types: ['MemoryWritten'] })).filter((e) => (e.payload as { key: string }).key === 'evented/b');
    assert.equal((written!.payload as { workspaceId?: string }).workspaceId, B);
  });

  it("never shows one workspace's entries in the other's search or list", async () => {
    const { memory } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'search/kite', content: 'The kite festival budget is in the orange folder.' }, IN_B);
    await memory.put({ scope: 'project', key: 'search/kite', content: 'Kite lines are stored in the blue cupboard.' }, DIRECTOR);
    const inB = await memory.search({ query: 'kite', mode: 'keyword' }, B);
    const inDefault = await memory.search({ query: 'kite', mode: 'keyword' }, 'default');
    assert.deepEqual(inB.hits.map((h) => h.content), ['The kite festival budget is in the orange folder.']);
    assert.deepEqual(inDefault.hits.map((h) => h.content), ['Kite lines are stored in the blue cupboard.']);
    assert.deepEqual((await memory.search({ query: 'zeppelin', mode: 'keyword' }, 'default')).hits, []);
    assert.deepEqual((await memory.search({ query: 'orange folder', match: 'any' }, 'default')).hits.filter((h) => /orange/.test(h.content)), []);
    const listedB = await memory.list({}, B);
    const listedDefault = await memory.list({}, 'default');
    assert.ok(listedB.some((e) => /zeppelin/.test(e.content)));
    assert.ok(!listedDefault.some((e) => /zeppelin|orange folder|DuckDB/.test(e.content)));
    assert.ok(!listedB.some((e) => /blue cupboard|PostgreSQL 16/.test(e.content)));
  });

  it("keeps proposals in the employee's workspace: listed and resolved only there", async () => {
    const { memory } = openMemory(ctx.store);
    const employee = { employeeId: 'emp_b', workspaceId: B, runId: null, taskId: null };
    const { proposal } = await memory.propose({ scope: 'project', key: 'proposed/b', content: 'cache the wheels' }, employee);
    assert.equal(proposal.workspaceId, B);
    assert.ok(!(await memory.proposals('default', 'pending')).some((p) => p.id === proposal.id));
    assert.ok((await memory.proposals(B, 'pending')).some((p) => p.id === proposal.id));
    await assert.rejects(memory.resolveProposal(proposal.id, 'default', { approved: true, by: 'director:local' }), notFound);
    assert.equal((await memory.resolveProposal(proposal.id, B, { approved: true, by: 'director:local' })).version, 1);
    assert.equal((await memory.get({ scope: 'project', key: 'proposed/b' }, IN_B)).author, 'employee:emp_b');
    await assert.rejects(memory.get({ scope: 'project', key: 'proposed/b' }, DIRECTOR), notFound);
  });

  it("sweeps a workspace's expired entries without touching the same key of another", async () => {
    const clock = movableClock(new Date());
    const { memory, core } = openMemory(ctx.store, { clock });
    await memory.put({ scope: 'run', namespace: 'run_ttl', key: 'scratch', content: 'b scratch' }, IN_B);
    clock.advance(20 * 3_600_000);
    await memory.put({ scope: 'run', namespace: 'run_ttl', key: 'scratch', content: 'default scratch' }, DIRECTOR);
    clock.advance(5 * 3_600_000);
    assert.equal(await memory.expire(), 1);
    await assert.rejects(memory.history({ scope: 'run', namespace: 'run_ttl', key: 'scratch' }, IN_B), notFound);
    assert.deepEqual((await memory.history({ scope: 'run', namespace: 'run_ttl', key: 'scratch' }, DIRECTOR)).map((v) => v.version), [1]);
    const expired = (await core.events.query({ stream: 'memory', types: ['MemoryExpired'] })).at(-1)!;
    assert.deepEqual(expired.payload, { workspaceId: B, count: 1, entries: [{ scope: 'run', namespace: 'run_ttl', key: 'scratch' }] });
  });

  it("gives a run of workspace B B's memory in its contexts and leaves its lessons in B", async function () {
    this.timeout(60_000);
    const { memory, core } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'notes/lighthouse', content: 'Lighthouse beacons in team B blink every four seconds.' }, IN_B);
    await memory.put({ scope: 'project', key: 'notes/lighthouse', content: 'Lighthouse beacons of default blink twice a minute.' }, DIRECTOR);
    const seen: Assignment[] = [];
    const workforce = createInProcessWorkforce((a) => {
      seen.push(a);
      return behaviours.succeed('Tuned the lighthouse beacon timing');
    });
    const orchestrator = createOrchestrator({ core, workers: workforce.factory, memory, options: { pollMs: 250, employeeRefreshMs: 0, stopGraceMs: 0 } });
    await hireInProcess(orchestrator.employees, [`keeper-b-${ctx.kind}`], { workspaceId: B });
    await orchestrator.start();
    try {
      const run = await orchestrator.runs.submit({ prd: '# Lighthouse\n\n- Tune the lighthouse beacon blink timing', workspaceId: B }, DIRECTOR.actor);
      await waitForRun(ctx.store, orchestrator, run.id, ['succeeded']);
      const [plan] = await core.events.query({ runId: run.id, types: ['MemoryContextUsed'] });
      assert.equal((plan!.payload as { purpose: string }).purpose, 'plan');
      assert.ok((plan!.payload as { entries: Array<{ key: string }> }).entries.some((e) => e.key === 'notes/lighthouse'));
      const context = seen.find((a) => a.runId === run.id)!.context.memory ?? [];
      const lighthouse = context.filter((m) => m.key === 'notes/lighthouse');
      assert.deepEqual(lighthouse.map((m) => m.content), ['Lighthouse beacons in team B blink every four seconds.'], "B's entry, not default's");

      await memory.drainLessons();
      const lessons = await memory.get({ scope: 'project', key: lessonsKey(run.id) }, IN_B);
      assert.equal(lessons.runId, run.id);
      assert.match(lessons.content, /lighthouse beacon timing/);
      await assert.rejects(memory.get({ scope: 'project', key: lessonsKey(run.id) }, DIRECTOR), notFound);
    } finally {
      await orchestrator.stop(0);
    }
  });

  it("migrates a database that held memory into 'default', and lets another workspace use the same keys", async function () {
    this.timeout(60_000);
    const db = ctx.kind === 'postgres' ? await createPgDatabase() : await createPgliteDatabase();
    const store = await db.open();
    try {
      const all = migrations();
      await migrate(store, all.filter((m) => m.id < 160));
      await store.query(
        `INSERT INTO aura.memory_versions (scope, namespace, key, version, content, author, author_kind, created_at) VALUES ('project', 'default', 'old/note', 1, 'kept', 'director:local', 'director', now())`,
      );
      await store.query(
        `INSERT INTO aura.memory_entries (scope, namespace, key, version, content, author, author_kind, created_at, updated_at) VALUES ('project', 'default', 'old/note', 1, 'kept', 'director:local', 'director', now(), now())`,
      );
      await store.query(`INSERT INTO aura.memory_proposals (id, scope, namespace, key, content, employee_id, status, created_at) VALUES ('mprop_old', 'project', 'default', 'old/p', 'x', 'emp_x', 'pending', now())`);
      const report = await migrate(store, all);
      assert.ok(report.applied.includes(160));
      const owners = await store.query<{ t: string; w: string }>(
        `SELECT 'entry' AS t, workspace_id AS w FROM aura.memory_entries UNION ALL SELECT 'version', workspace_id FROM aura.memory_versions
         UNION ALL SELECT 'proposal', workspace_id FROM aura.memory_proposals ORDER BY 1`,
      );
      assert.deepEqual(owners.rows.map((r) => [r.t, r.w]), [['entry', 'default'], ['proposal', 'default'], ['version', 'default']]);
      const { memory, core } = openMemory(store);
      assert.equal((await memory.get({ scope: 'project', key: 'old/note' }, DIRECTOR)).content, 'kept');
      assert.equal((await memory.proposals('default', 'pending'))[0]?.id, 'mprop_old');
      await createWorkspaceService(core).create({ id: B }, 'director:test');
      assert.equal((await memory.put({ scope: 'project', key: 'old/note', content: 'new in b' }, IN_B)).version, 1);
      assert.equal((await memory.put({ scope: 'project', key: 'old/note', content: 'kept, then changed' }, DIRECTOR)).version, 2);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
