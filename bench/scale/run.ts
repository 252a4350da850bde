// Scale: a DAG of N tasks planned from Markdown, validated, queued and scheduled to completion by the real Manager
// with an instant in-process employee, at 1k, 10k and 100k tasks (time per phase, peak RSS, cost per task), beside
// graphile-worker draining the same number of no-op jobs on the same PostgreSQL in the same run.
// Usage: npm run bench:scale -- [--sizes 1000,10000,100000] [--width 100]   (DATABASE_URL: the server to use)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { loadConfig } from '../../core/config/config';
import type { CoreContext } from '../../core/core-context';
import { systemClock } from '../../core/domain/clock';
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog } from '../../core/events/event-log';
import { createPlanner } from '../../core/manager/planner';
import { createSilentLogger } from '../../core/observability/logger';
import { createMetrics } from '../../core/observability/metrics';
import { createOrchestrator } from '../../core/orchestrator';
import { findMigrationsDir, loadMigrations, migrate } from '../../core/store/migrations';
import type { WorkerFactory } from '../../core/workforce/worker';
import { graphileQueue } from '../queue/graphile-queue';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const sizes = arg('sizes', '1000,10000,100000').split(',').map(Number);
const width = Number(arg('width', '100'));
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Layers of `width` tasks; each task after the first layer depends on two tasks of the layer before it. */
export function layeredPrd(n: number, w: number): string {
  const lines = ['# Scale', '', '## Work', ''];
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / w);
    const deps = layer === 0 ? '' : ` (depends on \`t${(layer - 1) * w + (i % w)}\`, \`t${(layer - 1) * w + ((i + 1) % w)}\`)`;
    lines.push(`- \`t${i}\`: Task ${i} (kind: analysis)${deps}`);
  }
  return lines.join('\n') + '\n';
}

async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aura_bench_scale_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

interface Figures {
  n: number;
  planMs: number;
  submitMs: number;
  drainMs: number;
  totalMs: number;
  peakRssMb: number;
  baselineMs: number;
}

async function auraAt(n: number): Promise<Omit<Figures, 'baselineMs'>> {
  const db = await scratchDatabase();
  const store = await openPgStore({ url: db.url, max: 12, applicationName: 'bench-scale' });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    await migrate(store, loadMigrations(findMigrationsDir(path.join(__dirname, '..', '..'))));
    const signer = createAuditSigner(randomBytes(32));
    const config = loadConfig({ AURA_HOME: path.join(os.tmpdir(), 'aura-bench-scale'), AURA_MAX_MODEL_CONTAINERS: '16' });
    const core: CoreContext = { config, store, events: createEventLog({ store, signer }), signer, clock: systemClock, logger: createSilentLogger(), metrics: createMetrics({ defaultMetrics: false }), readiness: [] };
    const workers: WorkerFactory = () => ({
      capabilities: { provider: 'in-process', model: 'instant', kinds: ['analysis'], structuredOutput: true, isolated: false },
      execute: async () => ({ status: 'succeeded', summary: 'ok', telemetry: { tokensIn: 0, tokensOut: 0, latencyMs: 0, costUsd: 0, model: 'instant' } }),
      cancel: async () => undefined,
    });
    const orchestrator = createOrchestrator({ core, workers, options: { concurrency: 16, claimBatchSize: 32, completeBatchSize: 64, pollMs: 1_000, leaseMs: 60_000, employeeRefreshMs: 60_000, stopGraceMs: 0 } });
    await orchestrator.employees.hire({ name: 'instant', provider: 'in-process', model: 'instant', maxConcurrent: 16 }, 'bench');
    const prd = layeredPrd(n, width);
    const t0 = performance.now();
    await createPlanner().plan({ prd });
    const t1 = performance.now();
    const run = await orchestrator.runs.submit({ prd }, 'bench');
    const t2 = performance.now();
    await orchestrator.start();
    for (;;) {
      const status = (await store.query<{ status: string }>('SELECT status FROM aura.runs WHERE id = $1', [run.id])).rows[0]!.status;
      if (status === 'succeeded') break;
      if (status !== 'running') throw new Error(`run ended ${status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const t3 = performance.now();
    await orchestrator.stop(0);
    // Planning is done twice (once alone, once inside submit), so submit's time is its own minus nothing: report both.
    return { n, planMs: t1 - t0, submitMs: t2 - t1, drainMs: t3 - t2, totalMs: t3 - t1, peakRssMb: peak / 1e6 };
  } finally {
    clearInterval(sampler);
    await store.close();
    await db.drop();
  }
}

async function graphileAt(n: number): Promise<number> {
  const db = await scratchDatabase();
  const queue = graphileQueue(db.url);
  try {
    await queue.open({ batched: true, concurrency: 16, batchSize: 32 });
    const t0 = performance.now();
    await queue.enqueue(n);
    await queue.drain(n);
    return performance.now() - t0;
  } finally {
    await queue.close();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const rows: Figures[] = [];
  for (const n of sizes) {
    const baselineMs = await graphileAt(n);
    const aura = await auraAt(n);
    rows.push({ ...aura, baselineMs });
    const r = rows.at(-1)!;
    process.stdout.write(
      `${String(n).padStart(7)} tasks: plan ${(r.planMs / 1000).toFixed(2)} s, submit (plan+validate+queue) ${(r.submitMs / 1000).toFixed(2)} s, ` +
        `drain ${(r.drainMs / 1000).toFixed(2)} s, submit→done ${(r.totalMs / 1000).toFixed(2)} s (${((r.totalMs * 1000) / n).toFixed(0)} µs/task), peak RSS ${r.peakRssMb.toFixed(0)} MB; ` +
        `graphile-worker enqueue+drain of as many jobs ${(r.baselineMs / 1000).toFixed(2)} s (Aura at ${(r.baselineMs / r.totalMs).toFixed(2)}x its speed)\n`,
    );
  }
  const first = rows[0]!;
  for (const r of rows.slice(1)) {
    process.stdout.write(`cost per task at ${r.n} vs ${first.n}: ${((r.totalMs / r.n) / (first.totalMs / first.n)).toFixed(2)}x (1.00x is linear)\n`);
  }
  process.stdout.write(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} cores\n`);
}

void main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
