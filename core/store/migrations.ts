// Forward-only numbered SQL migrations: one transaction each, recorded, safe under concurrent migrators.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AuraError } from '../domain/errors';
import type { Store } from './store';

export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Any number fits in a bigint advisory lock; this one names "aura migrations". */
const MIGRATION_LOCK = 7_307_010_001;

const fileName = /^(\d{3,})[-_]([a-z0-9_-]+)\.sql$/;

/** Reads `NNN-name.sql` files from a folder, in order; gaps and duplicates are an error. */
export function loadMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir)) throw new AuraError('config', `Migrations folder not found: ${dir}. Reinstall or rebuild (npm run build).`);
  const migrations: Migration[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    const match = fileName.exec(file);
    if (!match) continue;
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    migrations.push({ id: Number(match[1]), name: match[2]!, sql, checksum: sha256(sql) });
  }
  migrations.sort((a, b) => a.id - b.id);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.id === migrations[i - 1]!.id) {
      throw new AuraError('config', `Two migrations share number ${migrations[i]!.id} in ${dir}.`);
    }
  }
  if (migrations.length === 0) throw new AuraError('config', `No migrations found in ${dir}.`);
  return migrations;
}

/** Finds the migrations folder beside the bundle (dist/migrations) or at the source root. */
export function findMigrationsDir(from: string): string {
  const candidates = [path.join(from, 'migrations'), path.join(from, '..', 'migrations'), path.join(from, '..', '..', 'migrations')];
  return candidates.find((dir) => fs.existsSync(dir)) ?? candidates[0]!;
}

export interface MigrationReport {
  applied: number[];
  current: number;
}

/** Applies every migration not yet recorded. Each runs in its own transaction under an advisory lock. */
export async function migrate(store: Store, migrations: readonly Migration[]): Promise<MigrationReport> {
  await assertNotForeign(store);
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await store.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.query('CREATE SCHEMA IF NOT EXISTS aura');
      await tx.query(
        `CREATE TABLE IF NOT EXISTS aura.migrations (
           id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = await tx.query<{ checksum: string }>('SELECT checksum FROM aura.migrations WHERE id = $1', [migration.id]);
      if (done.rows[0]) {
        if (done.rows[0].checksum !== migration.checksum) {
          throw new AuraError(
            'config',
            `Migration ${migration.id} (${migration.name}) was changed after it was applied to this database. Migrations are forward-only: restore the original file and add a new migration instead.`,
          );
        }
        return false;
      }
      // Recorded first, so a concurrent migrator that somehow got past the lock fails on the primary key.
      await tx.query('INSERT INTO aura.migrations (id, name, checksum) VALUES ($1, $2, $3)', [migration.id, migration.name, migration.checksum]);
      await tx.exec(migration.sql);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  const current = await currentVersion(store);
  const known = migrations.at(-1)?.id ?? 0;
  if (current > known) {
    throw new AuraError(
      'config',
      `This database is at migration ${current}, newer than this version of Aura Orchestra knows (${known}). Upgrade Aura Orchestra; nothing was changed.`,
    );
  }
  return { applied, current };
}

/** The highest applied migration, or 0 on an empty database. */
export async function currentVersion(store: Store): Promise<number> {
  const exists = await store.query<{ exists: boolean }>("SELECT to_regclass('aura.migrations') IS NOT NULL AS exists");
  if (!exists.rows[0]?.exists) return 0;
  const result = await store.query<{ max: number | null }>('SELECT max(id) AS max FROM aura.migrations');
  return Number(result.rows[0]?.max ?? 0);
}

/** Lists migrations the code knows that the database has not applied (for /ready). */
export async function pendingMigrations(store: Store, migrations: readonly Migration[]): Promise<number[]> {
  const current = await currentVersion(store);
  if (current === 0) return migrations.map((m) => m.id);
  const result = await store.query<{ id: number }>('SELECT id FROM aura.migrations');
  const applied = new Set(result.rows.map((row) => Number(row.id)));
  return migrations.filter((m) => !applied.has(m.id)).map((m) => m.id);
}

async function assertNotForeign(store: Store): Promise<void> {
  const result = await store.query<{ schema: boolean; table: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'aura') AS schema,
            to_regclass('aura.migrations') IS NOT NULL AS table`,
  );
  const row = result.rows[0];
  if (row?.schema && !row.table) {
    const objects = await store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'aura'`,
    );
    if ((objects.rows[0]?.n ?? 0) > 0) {
      throw new AuraError(
        'config',
        'This database has an "aura" schema that Aura Orchestra did not create (no aura.migrations table). Point DATABASE_URL (or AURA_HOME) at a database of its own; nothing was changed.',
      );
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
