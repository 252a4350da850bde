// Done-when: killed database connections (pg_terminate_backend of every session, repeatedly, mid-run) are
// survived without restarting the process: the run completes, each task once, and leadership comes back.
import assert from 'node:assert/strict';
import pg from 'pg';
import { createAuditSigner } from '../../../core/events/chain';
import { verifyChain } from '../../../core/events/verify-chain';
import { TEST_AUDIT_KEY } from '../../support/events';
import { behaviours } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { startManager, waitFor, waitForRun } from '../manager/manager-harness';

describeStores(
  'Manager under killed connections',
  (ctx) => {
    it('completes a run while every backend is terminated several times', async function () {
      this.timeout(90_000);
      const h = await startManager(ctx.store, { behaviour: () => behaviours.after(60, behaviours.succeed()), options: { concurrency: 4, leaseMs: 3_000, sweepMs: 100, pollMs: 200 } });
      const admin = new pg.Client({ connectionString: ctx.db.url, application_name: 'aura-test-admin' });
      await admin.connect();
      try {
        await waitFor(ctx.store, async () => h.orchestrator.scheduler.isLeader(), 10_000, 'leadership');
        const prd = ['## Work', ...Array.from({ length: 30 }, (_, i) => `- \`t${i}\`: Task ${i}${i >= 10 ? ` (after \`t${i - 10}\`)` : ''}`), ''].join('\n');
        const run = await h.orchestrator.runs.submit({ prd }, 'director');
        let terminated = 0;
        for (let round = 0; round < 5; round++) {
          await waitFor(ctx.store, async () => h.workforce.calls.length >= (round + 1) * 4, 20_000, `progress before kill ${round + 1}`);
          const killed = await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> 'aura-test-admin') k`,
          );
          terminated += killed.rows[0]!.n;
        }
        assert.ok(terminated >= 10, `only ${terminated} backends were terminated`);
        const done = await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded', 'partial'], 60_000);
        assert.equal(done.status, 'succeeded');
        const succeeded = await ctx.store.query<{ n: number; tasks: number }>(`SELECT count(*)::int AS n, count(DISTINCT task_id)::int AS tasks FROM aura.events WHERE stream = $1 AND type = 'TaskSucceeded'`, [run.id]);
        assert.deepEqual(succeeded.rows[0], { n: 30, tasks: 30 });
        await waitFor(ctx.store, async () => h.orchestrator.scheduler.isLeader(), 10_000, 'leadership after the kills');
        // NOTIFY wakes the scheduler again once LISTEN reconnected: a new run starts without waiting for a poll.
        const again = await h.orchestrator.runs.submit({ prd: '## W\n- `after`: After the storm\n' }, 'director');
        assert.equal((await waitForRun(ctx.store, h.orchestrator, again.id, ['succeeded'], 20_000)).status, 'succeeded');
        assert.equal((await verifyChain(ctx.store, createAuditSigner(TEST_AUDIT_KEY), { stream: run.id })).ok, true);
      } finally {
        await admin.end();
        await h.stop();
      }
    });
  },
  { only: 'postgres' },
);
