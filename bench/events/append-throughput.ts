// Events appended per second (1 and 4 concurrent writers) on PostgreSQL and PGlite, beside a plain-INSERT baseline.
// Run: npm run bench:events   (needs PostgreSQL at AURA_BENCH_DATABASE_URL or 127.0.0.1:5432)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { openPgliteStore } from '../../adapters/store-pglite/pglite-store';
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog } from '../../core/events/event-log';
import { findMigrationsDir, loadMigrations, migrate } from '../../core/store/migrations';
import type { Store } from '../../core/store/store';

const ADMIN_URL = process.env.AURA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

interface Row {
  store: string;
  scenario: string;
  eventsPerSec: number;
  baselinePerSec: number;
}

async function timed(writers: number, work: (writer: number, i: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  let done = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; Date.now() < deadline; i++) {
        await work(w, i);
        done++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return done / seconds;
}

async function measure(name: string, store: Store): Promise<Row[]> {
  await migrate(store, loadMigrations(findMigrationsDir(process.cwd())));
  await store.exec('CREATE TABLE IF NOT EXISTS bench_plain (id bigserial PRIMARY KEY, stream text, type text, payload jsonb, occurred_at timestamptz)');
  const log = createEventLog({ store, signer: createAuditSigner('bench-key-0123456789abcdef') });
  const rows: Row[] = [];
  const scenarios: Array<[string, number, (w: number) => string]> = [
    ['1 writer', 1, () => 'run_single'],
    ['4 writers, one run', 4, () => 'run_shared'],
    ['4 writers, 4 runs', 4, (w) => `run_w${w}`],
  ];
  for (const [scenario, writers, stream] of scenarios) {
    const baseline = await timed(writers, (w, i) =>
      store.transaction((tx) => tx.query('INSERT INTO bench_plain (stream, type, payload, occurred_at) VALUES ($1, $2, $3, now())', [stream(w), 'RunPaused', JSON.stringify({ reason: `n${i}` })])).then(() => undefined),
    );
    const events = await timed(writers, (w, i) => log.append({ type: 'RunPaused', runId: `${stream(w)}`, actor: 'bench', payload: { reason: `n${i}` } }).then(() => undefined));
    rows.push({ store: name, scenario, eventsPerSec: events, baselinePerSec: baseline });
  }
  return rows;
}

async function main(): Promise<void> {
  const dbName = `aura_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const rows: Row[] = [];
  try {
    const pgStore = await openPgStore({ url: url.toString(), max: 8 });
    rows.push(...(await measure('PostgreSQL', pgStore)));
    await pgStore.close();
    const lite = await openPgliteStore();
    rows.push(...(await measure('PGlite', lite)));
    await lite.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  console.log(`\nEvent append throughput (${SECONDS} s per cell; baseline = plain INSERT of the same row in its own transaction)\n`);
  console.log('| store | writers | events/s (hash-chained, signed) | baseline inserts/s | ratio |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.store} | ${r.scenario} | ${r.eventsPerSec.toFixed(0)} | ${r.baselinePerSec.toFixed(0)} | ${(r.eventsPerSec / r.baselinePerSec).toFixed(2)} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
