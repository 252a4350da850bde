// Aura's queue under the benchmark: tasks enqueued into open runs, drained by the real scheduler (claims with
// leases, TaskAssigned/TaskSucceeded hash-chained events, group-committed outcomes) with a no-op employee.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { loadConfig } from '../../core/config/config';
import type { CoreContext } from '../../core/core-context';
import { systemClock } from '../../core/domain/clock';
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog } from '../../core/events/event-log';
import { planTaskSchema } from '../../core/manager/plan-schema';
import { createSilentLogger } from '../../core/observability/logger';
import { createMetrics } from '../../core/observability/metrics';
import { createOrchestrator, type Orchestrator } from '../../core/orchestrator';
import { enqueueTasks } from '../../core/queue/enqueue-tasks';
import { findMigrationsDir, loadMigrations, migrate } from '../../core/store/migrations';
import type { Store } from '../../core/store/store';
import type { WorkerFactory } from '../../core/workforce/worker';
import { arrivals, type BenchMode, type QueueUnderTest, StartTimes, until } from './queue-under-test';

const RUNS = 40;

export function auraQueue(url: string): QueueUnderTest {
  let store: Store;
  let core: CoreContext;
  let mode: BenchMode;
  let runs: string[] = [];
  let starts = new StartTimes();
  const spec = (key: string) => planTaskSchema.parse({ id: key, title: key, kind: 'code' });
  const workers: WorkerFactory = () => ({
    capabilities: { provider: 'in-process', model: 'noop', kinds: ['code'], structuredOutput: true, isolated: false },
    async execute(a) {
      starts.mark(Number(a.task.id.slice(1)));
      return { status: 'succeeded', summary: 'ok', telemetry: { tokensIn: 0, tokensOut: 0, latencyMs: 0, costUsd: 0, model: 'noop' } };
    },
    async cancel() {},
  });
  const orchestrator = (): Orchestrator =>
    createOrchestrator({
      core,
      workers,
      options: { concurrency: mode.concurrency, claimBatchSize: mode.batched ? mode.batchSize : 1, completeBatchSize: mode.batched ? mode.batchSize * 2 : 1, pollMs: 1_000, leaseMs: 60_000, employeeRefreshMs: 60_000, stopGraceMs: 0 },
    });
  const enqueueInto = (runId: string, keys: string[]) => store.transaction((tx) => enqueueTasks(tx, core.events, { runId, tasks: keys.map(spec), actor: 'bench', now: new Date() }));
  const succeeded = async () => Number((await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM aura.tasks WHERE status = 'succeeded'`)).rows[0]!.n);

  return {
    name: 'aura',
    async open(m) {
      mode = m;
      store = await openPgStore({ url, max: m.concurrency + 6, applicationName: 'bench-aura' });
      await store.exec('DROP SCHEMA IF EXISTS aura CASCADE');
      await migrate(store, loadMigrations(findMigrationsDir(path.join(__dirname, '..', '..'))));
      const signer = createAuditSigner(randomBytes(32));
      const config = loadConfig({ AURA_HOME: path.join(os.tmpdir(), 'aura-bench'), AURA_MAX_MODEL_CONTAINERS: String(m.concurrency) });
      core = { config, store, events: createEventLog({ store, signer }), signer, clock: systemClock, logger: createSilentLogger(), metrics: createMetrics({ defaultMetrics: false }), readiness: [] };
      const setup = orchestrator();
      for (let i = 0; i * 16 < m.concurrency; i++) await setup.employees.hire({ name: `noop-${i}`, provider: 'in-process', model: 'noop', maxConcurrent: 16 }, 'bench');
      // Each run holds an approval task nobody answers, so it stays open while tasks are added to it.
      runs = [];
      for (let i = 0; i < RUNS; i++) runs.push((await setup.runs.submit({ prd: `# Bench ${i}\n- \`hold\`: Approve the end of the benchmark\n` }, 'bench')).id);
    },
    async enqueue(n) {
      if (mode.batched) {
        const perRun = Math.ceil(n / RUNS);
        for (let r = 0; r < RUNS; r++) {
          const keys = Array.from({ length: Math.min(perRun, n - r * perRun) }, (_, j) => `b${r * perRun + j}`);
          for (let k = 0; k < keys.length; k += mode.batchSize * 16) await enqueueInto(runs[r]!, keys.slice(k, k + mode.batchSize * 16));
        }
      } else {
        for (let i = 0; i < n; i++) await enqueueInto(runs[i % RUNS]!, [`b${i}`]);
      }
    },
    async drain(n) {
      const before = await succeeded();
      const o = orchestrator();
      await o.start();
      await until(succeeded, before + n);
      await o.stop(0);
    },
    async latency(samples, intervalMs) {
      starts = new StartTimes();
      const before = await succeeded();
      const o = orchestrator();
      await o.start();
      const sent = new Map<number, number>();
      await arrivals(samples, intervalMs, async (i) => {
        sent.set(i, performance.now());
        await enqueueInto(runs[i % RUNS]!, [`l${i}`]);
      });
      await Promise.all(Array.from({ length: samples }, (_, i) => starts.wait(i)));
      await until(succeeded, before + samples);
      await o.stop(0);
      return Array.from({ length: samples }, (_, i) => starts.at.get(i)! - sent.get(i)!);
    },
    async close() {
      await store.close();
    },
  };
}
