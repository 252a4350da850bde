// Done-when (issue 13, scale-out): two `aura serve` Managers share one PostgreSQL, each running containers on its
// own Docker engine (the second in a network namespace of its own, standing in for another machine). Both take work,
// the cap of running tasks holds across them, each engine only ever runs its own Manager's containers, and when
// one Manager dies its work goes to the other once its containers are removed from its engine (by the Manager
// restarted there, as systemd would) — none of it lost or done twice.
import assert from 'node:assert/strict';
import { buildWorkerImage, defaultWorkerImage, inspectImage } from '../../adapters/containers/worker-image-build';
import { verifyChain } from '../../core/events/verify-chain';
import { createPgDatabase, type TestDatabase } from '../support/stores';
import { type ReliabilityRig, stagedPrd, startReliabilityRig } from './support/reliability-rig';
import { type SecondEngine, startSecondEngine } from './support/second-engine';
import type { ServeProcess } from './support/serve-process';
import { sleep, until } from './support/until';

describe('scale-out: two Managers, one PostgreSQL, an engine each', function () {
  this.timeout(600_000);
  let db: TestDatabase;
  let rig: ReliabilityRig;
  let engineB: SecondEngine;

  before(async function () {
    this.timeout(300_000);
    db = await createPgDatabase();
    engineB = await startSecondEngine();
    // The other machine has its own images: the worker image is built there from the same sources.
    if (!(await inspectImage(engineB.runtime.engine, defaultWorkerImage))) await buildWorkerImage(engineB.runtime.engine, { image: defaultWorkerImage });
    rig = await startReliabilityRig(db.url);
  });
  after(async () => {
    await rig?.close();
    await engineB?.stop();
    await db?.drop();
  });

  it('shares the work and the cap, keeps each engine to its Manager, and hands a dead Manager\'s work on', async () => {
    // b first, so that it surely has work in hand when it dies; a joins once b's employee is at work.
    let b: ServeProcess = await rig.serve('scale-b', { DOCKER_HOST: engineB.host });
    const ownerB = (await rig.ownerOf(b))!;
    const { store } = rig.core;
    const run = await rig.orchestrator.runs.submit({ prd: stagedPrd(4), workspace: rig.repo }, 'director');
    // Watch while it runs: tasks running (the cap), and which Managers' containers each engine holds.
    const seen = { maxRunning: 0, onA: new Set<string>(), onB: new Set<string>(), tasksOnB: new Set<string>() };
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [running, onA, onB] = await Promise.all([
          store.query<{ n: number }>(`SELECT count(*)::int AS n FROM aura.tasks WHERE status = 'running'`),
          rig.runtime.listByLabels({ 'aura.run': run.id }),
          engineB.runtime.listByLabels({ 'aura.run': run.id }),
        ]);
        seen.maxRunning = Math.max(seen.maxRunning, running.rows[0]!.n);
        for (const c of onA) seen.onA.add(c.labels['aura.manager'] ?? '(none)');
        for (const c of onB) {
          seen.onB.add(c.labels['aura.manager'] ?? '(none)');
          seen.tasksOnB.add(c.labels['aura.task']!);
        }
        await sleep(50);
      }
    })();

    // Once an employee of Manager b is at work in a container on engine B, b dies; the engine and that container live on.
    await until('an employee of b at work on engine B', 120_000, async () =>
      (await engineB.runtime.listByLabels({ 'aura.run': run.id, 'aura.manager': ownerB })).some((c) => c.running && c.labels['aura.role'] !== 'auditor'),
    );
    const a = await rig.serve('scale-a');
    const ownerA = (await rig.ownerOf(a))!;
    assert.ok(ownerA && ownerB && ownerA !== ownerB);
    const engines = await store.query<{ owner: string; engine: string | null }>('SELECT owner, engine FROM aura.managers ORDER BY owner');
    const engineOf = new Map(engines.rows.map((r) => [r.owner, r.engine]));
    assert.ok(engineOf.get(ownerA) && engineOf.get(ownerB) && engineOf.get(ownerA) !== engineOf.get(ownerB), `each Manager registered its own engine: ${JSON.stringify(engines.rows)}`);
    // a's start took seconds, in which b's employee may have finished and its container been removed: b dies at a
    // moment one of its employees is at work, so its engine surely holds a container of b's to reap.
    const atWork = () => engineB.runtime.listByLabels({ 'aura.run': run.id, 'aura.manager': ownerB }).then((cs) => cs.some((c) => c.running && c.labels['aura.role'] !== 'auditor'));
    await until('an employee of b at work on engine B again', 120_000, atWork);
    const held = (await store.query<{ id: string }>(`SELECT id FROM aura.tasks WHERE run_id = $1 AND status = 'running' AND lease_owner = $2`, [run.id, ownerB])).rows.map((r) => r.id);
    assert.ok(held.length > 0, 'b holds the attempt its employee works on');
    const killedAt = Date.now();
    b.signal('SIGKILL');
    await b.exited;
    // Its attempts wait while its employees may still be at work on its engine: not taken over yet.
    await sleep(3_000);
    const early = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM aura.events WHERE stream = $1 AND type = 'TaskAssigned' AND (payload->>'resumed')::boolean AND task_id = ANY ($2::text[])`, [run.id, held]);
    assert.equal(early.rows[0]!.n, 0, 'a dead Manager\'s attempts are not resumed elsewhere while its containers may still run');
    // The Manager restarted on that engine removes them; then the work is handed on.
    b = await rig.serve('scale-b2', { DOCKER_HOST: engineB.host });
    const ownerB2 = (await rig.ownerOf(b))!;
    const resumed = await until('the held attempts to resume', 60_000, async () => {
      const rows = (await store.query<{ task_id: string; at: Date }>(`SELECT task_id, min(occurred_at) AS at FROM aura.events WHERE stream = $1 AND type = 'TaskAssigned' AND (payload->>'resumed')::boolean AND task_id = ANY ($2::text[]) GROUP BY task_id`, [run.id, held])).rows;
      return rows.length === held.length ? rows : null;
    });
    const reaped = await store.query<{ manager: string; actor: string }>(`SELECT payload->>'manager' AS manager, actor FROM aura.events WHERE type = 'ContainerReaped'`);
    assert.ok(reaped.rows.length >= 1 && reaped.rows.every((r) => r.manager === ownerB), `b's containers were removed from its engine: ${JSON.stringify(reaped.rows)}`);

    const done = await until('the run to finish', 300_000, async () => {
      const r = await rig.orchestrator.runs.get(run.id);
      return ['succeeded', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : null;
    });
    watching = false;
    await watcher;
    assert.equal(done.status, 'succeeded', JSON.stringify(done.tasks.filter((t) => t.status !== 'succeeded').map((t) => [t.key, t.status, t.lastError])));
    const succeeded = await store.query<{ task_id: string; n: number }>(`SELECT task_id, count(*)::int AS n FROM aura.events WHERE stream = $1 AND type = 'TaskSucceeded' GROUP BY task_id`, [run.id]);
    assert.equal(succeeded.rows.length, 20, 'a task was lost');
    assert.deepEqual(succeeded.rows.filter((r) => r.n !== 1), [], 'a task succeeded twice');
    for (const t of done.tasks) {
      const text = rig.git('show', `aura/run-${run.id}:out/${t.key}.txt`);
      assert.equal(text.split('\n').filter((l) => l.startsWith('end')).length, 1, `${t.key} ran to its end more than once:\n${text}`);
    }

    // Both Managers took work; each engine ran only its own Managers' containers; the cap held across them.
    const owners = await store.query<{ owner: string; n: number }>(`SELECT payload->>'owner' AS owner, count(*)::int AS n FROM aura.events WHERE stream = $1 AND type = 'TaskAssigned' GROUP BY 1`, [run.id]);
    const by = new Map(owners.rows.map((r) => [r.owner, r.n]));
    const who = `a ${ownerA}, b ${ownerB}, b restarted ${ownerB2}; assignments by owner: ${JSON.stringify(owners.rows)}`;
    // b held work when it died (held); a took work of its own from the start.
    assert.ok((by.get(ownerA) ?? 0) > 0, `Manager a took tasks (${who})`);
    assert.ok(held.length > 0 && owners.rows.filter((r) => r.n > 0).length >= 2, `both Managers took tasks (${who})`);
    assert.deepEqual([...seen.onA].filter((o) => o !== ownerA), [], 'engine A ran only Manager a\'s containers');
    assert.deepEqual([...seen.onB].filter((o) => o !== ownerB && o !== ownerB2), [], 'engine B ran only its own Managers\' containers');
    assert.ok(seen.tasksOnB.size > 0, 'engine B ran tasks');
    assert.ok(seen.maxRunning <= 3, `${seen.maxRunning} tasks ran at once; the cap is 3 across all Managers`);
    await until('the run\'s containers to be gone from both engines', 20_000, async () => (await rig.containersOf(run.id)) === 0 && (await engineB.runtime.listByLabels({ 'aura.run': run.id })).length === 0);
    const gone = await store.query<{ owner: string }>(`SELECT payload->>'owner' AS owner FROM aura.events WHERE type = 'ManagerGone'`);
    assert.deepEqual(gone.rows.map((r) => r.owner), [ownerB], 'the dead Manager is recorded gone once');
    const report = await verifyChain(store, rig.core.signer);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    const resumeMs = resumed.map((r) => new Date(r.at).getTime() - killedAt);
    process.stdout.write(`      tasks taken: a ${by.get(ownerA)}, b ${by.get(ownerB)}, b restarted ${by.get(ownerB2) ?? 0}; at most ${seen.maxRunning} running at once; b's work resumed ${Math.min(...resumeMs)}-${Math.max(...resumeMs)} ms after its death\n`);
  });
});
