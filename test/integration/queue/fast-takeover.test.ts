// Done-when: a SIGKILLed Manager's attempts are taken over by another within 2 s, long before its 30 s leases
// would expire: its liveness lock goes with its connection, and the leader's next sweep hands its work on.
import assert from 'node:assert/strict';
import { createOrchestrator } from '../../../core/orchestrator';
import { behaviours, createInProcessWorkforce, hireInProcess, testCore } from '../../support/in-process-workers';
import { type ManagerProcess, spawnManager } from '../../support/manager-process';
import { describeStores } from '../../support/stores';
import { waitFor, waitForRun } from '../manager/manager-harness';

describeStores(
  'fast takeover of a dead Manager',
  (ctx) => {
    const children: ManagerProcess[] = [];
    afterEach(async () => {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
    });

    it('resumes a SIGKILLed Manager\'s attempt elsewhere within 2 s although its lease is 30 s, and records it gone', async function () {
      this.timeout(120_000);
      await ctx.store.exec('CREATE TABLE public.crash_effects (task_id text NOT NULL, key text NOT NULL, owner text NOT NULL)');
      const local = createOrchestrator({ core: testCore(ctx.store), workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
      await hireInProcess(local.employees, ['fast-a', 'fast-b'], { maxConcurrent: 2 });
      let next = 0;
      // The product's defaults: 30 s leases, the leader's sweep at its default.
      const spawn = () => {
        const child = spawnManager({ databaseUrl: ctx.db.url, owner: `fast${++next}`, workMs: 3_000, leaseMs: 30_000, concurrency: 2, sweepMs: null });
        children.push(child);
        return child;
      };
      const live = [spawn(), spawn()];
      await Promise.all(live.map((c) => c.ready));
      const run = await local.runs.submit({ prd: ['## W', ...Array.from({ length: 8 }, (_, i) => `- \`f${i}\`: F${i}`), ''].join('\n') }, 'director');
      const resumeMs: number[] = [];
      for (let round = 0; round < 3; round++) {
        const mid = await waitFor(
          ctx.store,
          async () =>
            (
              await ctx.store.query<{ owner: string; id: string }>(
                `SELECT t.lease_owner AS owner, t.id FROM aura.tasks t JOIN public.crash_effects e ON e.task_id = t.id AND e.owner = t.lease_owner
                  WHERE t.run_id = $1 AND t.status = 'running' LIMIT 1`,
                [run.id],
              )
            ).rows[0],
          30_000,
          'an attempt mid-way',
        );
        const victim = live.find((c) => c.owner === mid.owner)!;
        const killedAt = Date.now();
        victim.kill('SIGKILL');
        await victim.exited;
        const resumed = await waitFor(
          ctx.store,
          async () =>
            (
              await ctx.store.query<{ at: Date }>(`SELECT occurred_at AS at FROM aura.events WHERE task_id = $1 AND type = 'TaskAssigned' AND (payload->>'resumed')::boolean AND payload->>'owner' <> $2 ORDER BY id LIMIT 1`, [mid.id, mid.owner])
            ).rows[0],
          10_000,
          'the resumed attempt',
        );
        resumeMs.push(new Date(resumed.at).getTime() - killedAt);
        live[live.indexOf(victim)] = spawn();
        await live.at(-1)!.ready;
      }
      const done = await waitForRun(ctx.store, local, run.id, ['succeeded', 'partial', 'failed'], 60_000);
      assert.equal(done.status, 'succeeded');
      assert.ok(Math.max(...resumeMs) < 2_000, `resume took ${resumeMs.join(', ')} ms after the kills`);
      const gone = await ctx.store.query<{ owner: string }>(`SELECT payload->>'owner' AS owner FROM aura.events WHERE type = 'ManagerGone'`);
      assert.equal(gone.rows.length, 3, 'each killed Manager is recorded gone');
      const taken = await ctx.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM aura.events WHERE stream = $1 AND type = 'TaskLeaseExpired' AND (payload->>'ownerGone')::boolean`, [run.id]);
      assert.ok(taken.rows[0]!.n >= 3);
      const registered = await ctx.store.query<{ owner: string }>('SELECT owner FROM aura.managers ORDER BY owner');
      assert.deepEqual(registered.rows.map((r) => r.owner).sort(), live.map((c) => c.owner).sort(), 'only the live Managers stay registered');
    });
  },
  { only: 'postgres' },
);
