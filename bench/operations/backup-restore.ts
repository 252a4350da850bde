// Backup, verify and restore time of a PostgreSQL database with 1M tasks and their events, beside plain pg_dump/pg_restore.
// Run: npm run bench:backup   (PostgreSQL at AURA_BENCH_DATABASE_URL or 127.0.0.1:5432; BENCH_TASKS, default 1000000;
// AURA_BACKUP_COMPRESSION, default 0, is the level of aura's dump and of the same-level pg_dump baseline)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openBackups } from '../../adapters/backup/open-backups';
import { pgEnvironment } from '../../adapters/backup/pg-tools';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { systemClock } from '../../core/domain/clock';
import { createAuditSigner } from '../../core/events/chain';
import { createLogger } from '../../core/observability/logger';
import { findMigrationsDir, loadMigrations, migrate } from '../../core/store/migrations';

const ADMIN_URL = process.env.AURA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);
const TASKS_PER_RUN = 1000;
const LEVEL = Number(process.env.AURA_BACKUP_COMPRESSION ?? 0);
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

const withDb = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function seconds<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await work();
  return [Number(process.hrtime.bigint() - start) / 1e9, value];
}

function tool(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
}

/** Runs of 1000 tasks, each task with the two events a finished task leaves (queued, succeeded), in one stream per run. */
async function seed(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const runs = Math.ceil(TASKS / TASKS_PER_RUN);
  try {
    await c.query(`INSERT INTO aura.runs (id, title, prd, prd_hash, status, plan, plan_hash, planner, created_by, created_at, updated_at)
      SELECT 'run_b' || r, 'bench run ' || r, '# bench', md5(r::text), 'succeeded', '{}'::jsonb, md5(r::text), 'structural', 'director:bench', now(), now()
      FROM generate_series(1, $1) r`, [runs]);
    await c.query(`INSERT INTO aura.tasks (id, run_id, key, title, kind, spec, status, max_attempts, timeout_ms, attempt, result, created_at, updated_at, finished_at)
      SELECT 'task_b' || t, 'run_b' || ((t - 1) / ${TASKS_PER_RUN} + 1), 'k' || t, 'bench task ' || t, 'code',
             jsonb_build_object('description', 'do item ' || t, 'acceptance', jsonb_build_object('criteria', jsonb_build_array('it works'), 'commands', '[]'::jsonb)),
             'succeeded', 3, 900000, 1, jsonb_build_object('summary', 'done ' || t), now(), now(), now()
      FROM generate_series(1, $1) t`, [TASKS]);
    // Hashes are random stand-ins: this measures moving rows, not the chain walk (verify's walk is timed separately below).
    await c.query(`INSERT INTO aura.events (stream, seq, type, run_id, task_id, actor, payload, occurred_at, prev_hash, hash, hmac)
      SELECT 'run_b' || ((t - 1) / ${TASKS_PER_RUN} + 1), ((t - 1) % ${TASKS_PER_RUN}) * 2 + e, CASE e WHEN 1 THEN 'TaskQueued' ELSE 'TaskSucceeded' END,
             'run_b' || ((t - 1) / ${TASKS_PER_RUN} + 1), 'task_b' || t, 'manager:bench', jsonb_build_object('attempt', 1, 'summary', 'done ' || t), now(),
             md5(t::text || e), md5(t::text || e || 'h') || md5(t::text), md5(t::text || e || 'm') || md5(t::text)
      FROM generate_series(1, $1) t, generate_series(1, 2) e`, [TASKS]);
    await c.query(`INSERT INTO aura.event_heads (stream, seq, hash) SELECT stream, max(seq), md5(stream) FROM aura.events GROUP BY stream`);
    await c.query('VACUUM ANALYZE');
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const name = `aura_bench_backup_${randomBytes(3).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-bench-backup-'));
  const loadBefore = load();
  await admin(`CREATE DATABASE ${name}`);
  const url = withDb(name);
  const store = await openPgStore({ url, applicationName: 'aura-cli-bench' });
  try {
    await migrate(store, loadMigrations(findMigrationsDir(process.cwd())));
    const [seedS] = await seconds(() => seed(url));
    const size = (await store.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')).rows[0]!.s;
    const backups = openBackups({
      config: { databaseUrl: url, dbDir: '', backupsDir: dir, backupCompression: LEVEL },
      signer: createAuditSigner('bench-key-0123456789abcdef'),
      clock: systemClock,
      logger: createLogger({ service: 'bench', level: 'warn', destination: 'stderr' }),
      store,
    });
    const env = pgEnvironment(url);
    const [plainDumpS] = await seconds(async () => tool('pg_dump', ['--format=custom', '--schema=aura', `--file=${path.join(dir, 'plain.dump')}`], env));
    const [levelDumpS] = await seconds(async () => tool('pg_dump', ['--format=custom', `--compress=${LEVEL}`, '--schema=aura', `--file=${path.join(dir, 'level.dump')}`], env));
    const [createS, manifest] = await seconds(() => backups.create('director', 'director:bench'));
    const scratch = `${name}_plain`;
    await admin(`CREATE DATABASE ${scratch}`);
    const [plainRestoreS] = await seconds(async () => tool('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${scratch}`, path.join(dir, 'level.dump')], pgEnvironment(withDb(scratch))));
    await admin(`DROP DATABASE ${scratch} WITH (FORCE)`);
    const [restoreS] = await seconds(() => backups.restore(manifest.id));
    const [verifyS, verified] = await seconds(() => backups.verify(manifest.id, 'director:bench'));
    const rows = Object.values(manifest.census.tables).reduce((a, b) => a + b, 0);
    const plainSize = fs.statSync(path.join(dir, 'plain.dump')).size;
    console.log(`Backup of ${manifest.census.tables.tasks} tasks, ${manifest.census.tables.events} events (${rows} rows, database ${size}; seeded in ${seedS.toFixed(0)} s), ${os.cpus().length} cores, load average ${loadBefore} -> ${load()}`);
    console.log(`  dump file ${(manifest.sizeBytes / 1e6).toFixed(0)} MB at level ${LEVEL} (pg_dump's default level 6: ${(plainSize / 1e6).toFixed(0)} MB)`);
    console.log(`  baseline pg_dump -Fc (level 6)  ${plainDumpS.toFixed(1).padStart(6)} s`);
    console.log(`  aura backup create   ${createS.toFixed(1).padStart(6)} s   baseline pg_dump -Fc -Z${LEVEL}  ${levelDumpS.toFixed(1).padStart(6)} s   ${(createS / levelDumpS).toFixed(2)}×   target < 60 s: ${createS < 60 ? 'met' : 'NOT met'}`);
    console.log(`  aura backup restore  ${restoreS.toFixed(1).padStart(6)} s   baseline pg_restore       ${plainRestoreS.toFixed(1).padStart(6)} s   ${(restoreS / plainRestoreS).toFixed(2)}×   target < 60 s: ${restoreS < 60 ? 'met' : 'NOT met'}`);
    console.log(`  aura backup verify   ${verifyS.toFixed(1).padStart(6)} s   (scratch restore + counts; the chain walk stops at the first stand-in hash of each stream: ${verified.problems.length} problems reported)`);
  } finally {
    await store.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
