// The queue benchmark: Aura's queue beside graphile-worker and pg-boss, in one run on one PostgreSQL (a scratch
// database), batched and unbatched: tasks/s draining N no-op tasks, and enqueue→start latency (p50/p99).
// Usage: npm run bench:queue -- [--tasks 20000] [--samples 1000] [--interval 20] [--concurrency 16] [--batch 32]
//        [--systems aura,graphile,pgboss] [--modes batched,unbatched]   (DATABASE_URL: the server to use)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { auraQueue } from './aura-queue';
import { graphileQueue } from './graphile-queue';
import { pgBossQueue } from './pgboss-queue';
import type { BenchMode, QueueUnderTest } from './queue-under-test';
import { fmt, type LatencySummary, summarise, table } from './stats';

interface Args {
  tasks: number;
  samples: number;
  interval: number;
  concurrency: number;
  batch: number;
  systems: string[];
  modes: string[];
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
  return {
    tasks: Number(get('tasks', '20000')),
    samples: Number(get('samples', '1000')),
    interval: Number(get('interval', '20')),
    concurrency: Number(get('concurrency', '16')),
    batch: Number(get('batch', '32')),
    systems: get('systems', 'graphile,pgboss,aura').split(','),
    modes: get('modes', 'batched,unbatched').split(','),
  };
}

interface Result {
  system: string;
  mode: string;
  enqueuePerSec: number;
  drainPerSec: number;
  latency: LatencySummary;
  eventsPerTask: number | null;
}

async function measure(queue: QueueUnderTest, mode: BenchMode, args: Args, url: string): Promise<Result> {
  await queue.open(mode);
  try {
    let t = performance.now();
    await queue.enqueue(args.tasks);
    const enqueueMs = performance.now() - t;
    t = performance.now();
    await queue.drain(args.tasks);
    const drainMs = performance.now() - t;
    const latencies = await queue.latency(args.samples, args.interval);
    let eventsPerTask: number | null = null;
    if (queue.name === 'aura') {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const n = (await c.query(`SELECT (SELECT count(*) FROM aura.events WHERE task_id IS NOT NULL)::float / (SELECT count(*) FROM aura.tasks WHERE key <> 'hold') AS r`)).rows[0].r;
      await c.end();
      eventsPerTask = Number(n);
    }
    return { system: queue.name, mode: mode.batched ? 'batched' : 'unbatched', enqueuePerSec: (args.tasks / enqueueMs) * 1000, drainPerSec: (args.tasks / drainMs) * 1000, latency: summarise(latencies), eventsPerTask };
  } finally {
    await queue.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = new URL(process.env.DATABASE_URL ?? process.env.AURA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = `aura_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const version = (await admin.query('SHOW server_version')).rows[0].server_version;
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  const makers: Record<string, (u: string) => QueueUnderTest> = { aura: auraQueue, graphile: graphileQueue, pgboss: pgBossQueue };
  const results: Result[] = [];
  process.stdout.write(
    `Queue benchmark: ${args.tasks} no-op tasks drained, ${args.samples} latency samples (one every ${args.interval} ms), concurrency ${args.concurrency}, batch ${args.batch}\n` +
      `PostgreSQL ${version} (scratch database ${name}), Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n\n`,
  );
  try {
    for (const modeName of args.modes) {
      const mode: BenchMode = { batched: modeName === 'batched', concurrency: args.concurrency, batchSize: args.batch };
      for (const system of args.systems) {
        const result = await measure(makers[system]!(url.toString()), mode, args, url.toString());
        results.push(result);
        process.stdout.write(`  ${modeName.padEnd(9)} ${result.system.padEnd(24)} drain ${fmt.rate(result.drainPerSec)} tasks/s, p50 ${fmt.ms(result.latency.p50)} ms, p99 ${fmt.ms(result.latency.p99)} ms\n`);
      }
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  for (const modeName of args.modes) {
    const rows = results.filter((r) => r.mode === modeName);
    const aura = rows.find((r) => r.system === 'aura');
    process.stdout.write(`\n${modeName}\n`);
    process.stdout.write(
      table(
        ['system', 'enqueue tasks/s', 'drain tasks/s', 'enqueue→start p50 ms', 'p99 ms', 'aura drain ÷ this', 'events/task'],
        rows.map((r) => [r.system, fmt.rate(r.enqueuePerSec), fmt.rate(r.drainPerSec), fmt.ms(r.latency.p50), fmt.ms(r.latency.p99), aura ? fmt.ratio(aura.drainPerSec / r.drainPerSec) : '—', r.eventsPerTask === null ? '0' : r.eventsPerTask.toFixed(2)]),
      ) + '\n',
    );
  }
  process.stdout.write(`\n${JSON.stringify({ args, results })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
