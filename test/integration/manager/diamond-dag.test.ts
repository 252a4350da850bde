// Done-when: a 20-task diamond DAG runs to completion; independent tasks overlap (event timestamps prove it);
// no task starts before its dependencies succeed; no more than the cap run at once.
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../../core/events/stored-event';
import { verifyChain } from '../../../core/events/verify-chain';
import { behaviours } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { createAuditSigner } from '../../../core/events/chain';
import { TEST_AUDIT_KEY } from '../../support/events';
import { diamondPrd, startManager, waitForRun } from './manager-harness';

describeStores('Manager runs a diamond DAG', (ctx) => {
  it('completes all 20 tasks in dependency order, in parallel up to the cap', async function () {
    this.timeout(60_000);
    const cap = 3;
    const h = await startManager(ctx.store, { behaviour: () => behaviours.after(40, behaviours.succeed()), options: { concurrency: cap } });
    try {
      const submitted = await h.orchestrator.runs.submit({ prd: diamondPrd() }, 'director');
      assert.equal(submitted.tasks.length, 20);
      const run = await waitForRun(ctx.store, h.orchestrator, submitted.id, ['succeeded', 'partial', 'failed'], 45_000);
      assert.equal(run.status, 'succeeded');
      assert.equal(run.progress.succeeded, 20);

      const events = await h.orchestrator.events.query({ runId: run.id, limit: 1000 });
      const byKey = new Map(run.tasks.map((t) => [t.id, t.key]));
      const first = (type: string, taskId: string) => events.find((e) => e.type === type && e.taskId === taskId) as StoredEvent;
      // Within the run's stream, seq is the exact order of commits.
      for (const task of run.tasks) {
        const assigned = first('TaskAssigned', task.id);
        for (const depKey of task.dependsOn) {
          const dep = run.tasks.find((t) => t.key === depKey)!;
          assert.ok(first('TaskSucceeded', dep.id).seq < assigned.seq, `${task.key} started before ${depKey} succeeded`);
        }
      }
      const intervals = run.tasks.map((t) => ({ key: byKey.get(t.id)!, from: first('TaskAssigned', t.id).occurredAt.getTime(), to: first('TaskSucceeded', t.id).occurredAt.getTime() }));
      const overlapping = intervals.flatMap((a) => intervals.filter((b) => a.key < b.key && a.from < b.to && b.from < a.to).map((b) => [a.key, b.key]));
      assert.ok(overlapping.length > 0, 'no two tasks ran at the same time');
      assert.ok(overlapping.every(([a, b]) => !(a === 'setup' || b === 'setup' || a === 'release' || b === 'release')), 'a task overlapped the root or the sink');
      // The most attempts alive at one time, from the events: never above the cap, and above 1.
      const edges = events.filter((e) => e.type === 'TaskAssigned' || e.type === 'TaskSucceeded').map((e) => (e.type === 'TaskAssigned' ? 1 : -1));
      let alive = 0;
      let most = 0;
      for (const d of edges) most = Math.max(most, (alive += d));
      assert.ok(most >= 2 && most <= cap, `at most ${most} ran at once`);
      assert.equal(h.workforce.calls.length, 20, 'each task ran exactly once');
      const chain = await verifyChain(ctx.store, createAuditSigner(TEST_AUDIT_KEY), { stream: run.id });
      assert.equal(chain.ok, true);
    } finally {
      await h.stop();
    }
  });
});
