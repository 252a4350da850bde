// Done-when: Managers SIGKILLed mid-run, several times, lose nothing: another Manager resumes each attempt (once it
// sees the dead one gone) under the same idempotency key; every task succeeds once and no effect is applied twice.
import assert from 'node:assert/strict';
import { createAuditSigner } from '../../../core/events/chain';
import { verifyChain } from '../../../core/events/verify-chain';
import { createOrchestrator } from '../../../core/orchestrator';
import { TEST_AUDIT_KEY } from '../../support/events';
import { behaviours, createInProcessWorkforce, hireInProcess, testCore } from '../../support/in-process-workers';
import { type ManagerProcess, spawnManager } from '../../support/manager-process';
import { describeStores } from '../../support/stores';
import { waitForRun } from '../manager/manager-harness';

const prd = [
  '# Crash',
  '## Base',
  ...[1, 2, 3, 4, 5, 6].map((i) => `- \`base-${i}\`: Base ${i}`),
  '## Middle (after Base)',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => `- \`mid-${i}\`: Middle ${i}`),
  '## Top (after Middle)',
  ...[1, 2, 3, 4, 5, 6].map((i) => `- \`top-${i}\`: Top ${i}`),
  '',
].join('\n');

describeStores(
  'Manager crash recovery',
  (ctx) => {
    const children: ManagerProcess[] = [];
    afterEach(async () => {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
    });

    it('loses no task and applies no effect twice across repeated SIGKILLs of Manager processes', async function () {
      this.timeout(150_000);
      await ctx.store.exec('CREATE TABLE public.crash_effects (task_id text NOT NULL, key text NOT NULL, owner text NOT NULL)');
      const local = createOrchestrator({ core: testCore(ctx.store), workers: createInProcessWorkforce(() => behaviours.succeed()).factory });
      await hireInProcess(local.employees, ['crash-a', 'crash-b', 'crash-c'], { maxConcurrent: 3 });
      let next = 0;
      const spawn = () => {
        const child = spawnManager({ databaseUrl: ctx.db.url, owner: `mgr${++next}`, workMs: 1_500, leaseMs: 1_000, concurrency: 4 });
        children.push(child);
        return child;
      };
      const live = [spawn(), spawn()];
      await Promise.all(live.map((c) => c.ready));
      const run = await local.runs.submit({ prd }, 'director');
      const kills: string[] = [];
      for (let round = 0; round < 4; round++) {
        // Kill a Manager inside an attempt: its lease held and its effect already applied, its outcome not yet
        // recorded. (A Manager keeps the slots it frees while it has work, so the one holding them is the victim.)
        let victim: ManagerProcess | undefined;
        const deadline = Date.now() + 30_000;
        while (!victim) {
          const mid = await ctx.store.query<{ owner: string }>(
            `SELECT t.lease_owner AS owner FROM aura.tasks t JOIN public.crash_effects e ON e.task_id = t.id AND e.owner = t.lease_owner
              WHERE t.status = 'running' AND e.key = $1 || '_' || t.id || '_' || t.attempt LIMIT 1`,
            [run.id],
          );
          victim = live.find((c) => c.owner === mid.rows[0]?.owner);
          if (victim) break;
          if (Date.now() > deadline) throw new Error('no Manager ever held an attempt mid-way');
          await new Promise((r) => setTimeout(r, 20));
        }
        victim.kill('SIGKILL');
        assert.equal((await victim.exited).signal, 'SIGKILL');
        kills.push(victim.owner);
        const replacement = spawn();
        live[live.indexOf(victim)] = replacement;
        await replacement.ready;
      }
      const done = await waitForRun(ctx.store, local, run.id, ['succeeded', 'partial', 'failed'], 90_000);
      assert.equal(done.status, 'succeeded');
      assert.equal(done.progress.succeeded, 24);

      const succeeded = await ctx.store.query<{ task_id: string; n: number }>(`SELECT task_id, count(*)::int AS n FROM aura.events WHERE stream = $1 AND type = 'TaskSucceeded' GROUP BY task_id`, [run.id]);
      assert.equal(succeeded.rows.length, 24, 'a task was lost');
      assert.ok(succeeded.rows.every((r) => r.n === 1), 'a task succeeded twice');
      const effects = await ctx.store.query<{ task_id: string; n: number }>('SELECT task_id, count(*)::int AS n FROM public.crash_effects GROUP BY task_id');
      assert.equal(effects.rows.length, 24);
      assert.deepEqual(effects.rows.filter((r) => r.n !== 1), [], 'an effect was applied twice');
      const recognised = await ctx.store.query<{ n: number; keys: number }>(`SELECT coalesce(sum(duplicates), 0)::int AS n, count(*) FILTER (WHERE duplicates > 0)::int AS keys FROM aura.idempotency WHERE effect = 'effect'`);
      assert.ok(recognised.rows[0]!.n >= kills.length, `the idempotency table recognised ${recognised.rows[0]!.n} repeated effects for ${kills.length} kills`);
      const expired = await ctx.store.query<{ owner: string }>(`SELECT DISTINCT payload->>'owner' AS owner FROM aura.events WHERE stream = $1 AND type = 'TaskLeaseExpired'`, [run.id]);
      assert.deepEqual(expired.rows.map((r) => r.owner).sort(), [...kills].sort(), 'each killed Manager\'s leases expired and were taken over');
      const resumed = await ctx.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM aura.events WHERE stream = $1 AND type = 'TaskAssigned' AND (payload->>'resumed')::boolean`, [run.id]);
      assert.ok(resumed.rows[0]!.n >= kills.length);
      assert.equal((await verifyChain(ctx.store, createAuditSigner(TEST_AUDIT_KEY), { stream: run.id })).ok, true);
    });
  },
  { only: 'postgres' },
);
