// memory_search latency over 100k entries on PostgreSQL and PGlite, beside a plain indexed SELECT (a primary-key read
// of one entry) in the same run. Keyword search (all words, any word) and, on fewer samples, semantic search.
// Run: npm run bench:memory   (needs PostgreSQL at AURA_BENCH_DATABASE_URL or 127.0.0.1:5432)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { openPgliteStore } from '../../adapters/store-pglite/pglite-store';
import { loadConfig } from '../../core/config/config';
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog } from '../../core/events/event-log';
import { normalise } from '../../core/memory/memory-embedding';
import { createMemoryService } from '../../core/memory/memory-service';
import { createSilentLogger } from '../../core/observability/logger';
import { createMetrics } from '../../core/observability/metrics';
import { findMigrationsDir, loadMigrations, migrate } from '../../core/store/migrations';
import type { Store } from '../../core/store/store';
import type { EmbeddingProvider } from '../../core/workforce/embedding-provider';
import { fmt, summarise, table } from '../queue/stats';

const ADMIN_URL = process.env.AURA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ENTRIES = Number(process.env.BENCH_MEMORY_ENTRIES ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const SEMANTIC_SAMPLES = Number(process.env.BENCH_SEMANTIC_SAMPLES ?? 20);
const DIMS = 64;

// A deterministic vocabulary with a Zipf-like use, so posting lists are as uneven as in real notes.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const syllables = ['ka', 'lo', 'mi', 'ter', 'an', 'vo', 'rel', 'sun', 'dra', 'pe', 'qui', 'ox', 'ban', 'tor', 'li', 'ne'];
const vocabulary = Array.from({ length: 3000 }, (_, i) => `${syllables[i % 16]}${syllables[Math.floor(i / 16) % 16]}${syllables[Math.floor(i / 256) % 16]}`);
const word = () => vocabulary[Math.min(vocabulary.length - 1, Math.floor(vocabulary.length * random() ** 3))]!;
const sentence = (n: number) => Array.from({ length: n }, word).join(' ');

/** An in-process embedder: hashed words into DIMS dimensions (the benchmark measures the database side). */
const embedder: EmbeddingProvider = {
  provider: 'bench',
  model: 'bench-hash-64',
  async embed({ texts }) {
    return { vectors: texts.map(vectorOf), tokensIn: 0, costUsd: 0, latencyMs: 0, model: 'bench-hash-64', attempts: 1 };
  },
};
function vectorOf(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const w of text.split(/\s+/)) if (w) v[[...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % DIMS]! += 1;
  return v;
}

async function load(store: Store): Promise<void> {
  const batch = 2_000;
  for (let start = 0; start < ENTRIES; start += batch) {
    const keys: string[] = [];
    const contents: string[] = [];
    const vectors: string[] = [];
    const scopes: string[] = [];
    for (let i = start; i < Math.min(ENTRIES, start + batch); i++) {
      keys.push(`notes/${i % 100}/${i}`);
      const content = sentence(40);
      contents.push(content);
      vectors.push(`{${normalise(vectorOf(content)).join(',')}}`);
      scopes.push(i % 10 === 0 ? 'org' : 'project');
    }
    await store.query(
      `INSERT INTO aura.memory_entries (scope, namespace, key, version, content, tags, author, author_kind, created_at, updated_at, embedding, embedding_model)
       SELECT s, 'default', k, 1, c, '{bench}', 'bench', 'system', now(), now(), v::real[], 'bench-hash-64' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(s, k, c, v)`,
      [scopes, keys, contents, vectors],
    );
  }
  await store.query('ANALYZE aura.memory_entries');
}

async function time(samples: number, run: (i: number) => Promise<unknown>): Promise<ReturnType<typeof summarise>> {
  for (let i = 0; i < Math.min(10, samples); i++) await run(i); // warm caches and plans
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await run(i);
    latencies.push(performance.now() - t);
  }
  return summarise(latencies);
}

async function measure(name: string, store: Store): Promise<string[][]> {
  await migrate(store, loadMigrations(findMigrationsDir(process.cwd())));
  const loadStart = performance.now();
  await load(store);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const config = loadConfig({ AURA_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'aura-bench-')) });
  const core = { config, store, events: createEventLog({ store, signer: createAuditSigner('bench-key-0123456789abcdef') }), signer: createAuditSigner('bench-key-0123456789abcdef'), clock: { now: () => new Date(), sleep: async () => undefined }, logger: createSilentLogger(), metrics: createMetrics({ defaultMetrics: false }), readiness: [] };
  const memory = createMemoryService(core, { embedder });
  const queries = Array.from({ length: SAMPLES + 10 }, () => `${word()} ${word()}`);
  const baseline = await time(SAMPLES, (i) => store.query('SELECT content FROM aura.memory_entries WHERE scope = $1 AND namespace = $2 AND key = $3', ['project', 'default', `notes/${(i * 7 + 1) % 100}/${(i * 7919 + 1) % ENTRIES}`]));
  const rows: string[][] = [];
  const row = (scenario: string, s: ReturnType<typeof summarise>, hits: number) =>
    rows.push([name, scenario, fmt.ms(s.p50), fmt.ms(s.p99), fmt.ms(baseline.p50), fmt.ms(baseline.p99), fmt.ratio(s.p50 / baseline.p50), String(hits)]);
  let hits = 0;
  row('keyword, all words', await time(SAMPLES, async (i) => (hits += (await memory.search({ query: queries[i]!, mode: 'keyword', limit: 10 }, 'default')).hits.length)), Math.round(hits / (SAMPLES + 10)));
  hits = 0;
  row('keyword, any word', await time(SAMPLES, async (i) => (hits += (await memory.search({ query: queries[i]!, mode: 'keyword', match: 'any', limit: 10 }, 'default')).hits.length)), Math.round(hits / (SAMPLES + 10)));
  hits = 0;
  row('keyword, all words, scope org + tag', await time(SAMPLES, async (i) => (hits += (await memory.search({ query: queries[i]!, mode: 'keyword', scopes: ['org'], tags: ['bench'], limit: 10 }, 'default')).hits.length)), Math.round(hits / (SAMPLES + 10)));
  hits = 0;
  row(`semantic (${DIMS} dims, full scan)`, await time(SEMANTIC_SAMPLES, async (i) => (hits += (await memory.search({ query: queries[i]!, mode: 'semantic', limit: 10 }, 'default')).hits.length)), Math.round(hits / (SEMANTIC_SAMPLES + Math.min(10, SEMANTIC_SAMPLES))));
  console.log(`  ${name}: loaded ${ENTRIES.toLocaleString('en-US')} entries in ${loadSeconds.toFixed(1)} s`);
  return rows;
}

async function main(): Promise<void> {
  const dbName = `aura_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const rows: string[][] = [];
  try {
    const pgStore = await openPgStore({ url: url.toString(), max: 4 });
    rows.push(...(await measure('PostgreSQL', pgStore)));
    await pgStore.close();
    const lite = await openPgliteStore();
    rows.push(...(await measure('PGlite', lite)));
    await lite.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  console.log(`\nmemory_search over ${ENTRIES.toLocaleString('en-US')} entries (${SAMPLES} queries of two words; semantic ${SEMANTIC_SAMPLES}); baseline = SELECT of one entry by its primary key, same run\n`);
  console.log(table(['store', 'search', 'p50 ms', 'p99 ms', 'baseline p50', 'baseline p99', 'p50 ratio', 'hits/query'], rows));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
