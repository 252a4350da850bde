// Runs one suite on both storage adapters: a fresh database on the real PostgreSQL, and an in-memory PGlite.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { openPgliteStore } from '../../adapters/store-pglite/pglite-store';
import { findMigrationsDir, loadMigrations, migrate } from '../../core/store/migrations';
import type { Store, StoreKind } from '../../core/store/store';

/** The server the tests use; the test command makes sure one answers here. */
export const TEST_PG_URL = process.env.AURA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const migrations = () => loadMigrations(findMigrationsDir(path.join(__dirname, '..', '..')));

export interface TestDatabase {
  kind: StoreKind;
  /** A connection URL (postgres) or data folder (pglite, '' when in memory) for opening more stores on it. */
  url: string;
  open(): Promise<Store>;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database of its own; drop() removes it. */
export async function createPgDatabase(): Promise<TestDatabase> {
  const name = `aura_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    open: () => openPgStore({ url: url.toString(), max: 8 }),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A PGlite database in a temporary folder (so it can be reopened). */
export async function createPgliteDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-pglite-'));
  const dataDir = path.join(dir, 'db');
  return {
    kind: 'pglite',
    url: dataDir,
    open: () => openPgliteStore({ dataDir }),
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface StoreSuiteContext {
  kind: StoreKind;
  db: TestDatabase;
  /** The migrated store of this suite. */
  store: Store;
}

/**
 * Declares `body` once per adapter. Each adapter gets its own fresh, migrated database for the suite
 * (before/after), so suites never see each other's rows.
 */
export function describeStores(title: string, body: (ctx: StoreSuiteContext) => void, options: { only?: StoreKind } = {}): void {
  const kinds: StoreKind[] = options.only ? [options.only] : ['postgres', 'pglite'];
  for (const kind of kinds) {
    describe(`${title} [${kind}]`, function () {
      const ctx = { kind } as StoreSuiteContext;
      before(async function () {
        this.timeout(60_000);
        ctx.db = kind === 'postgres' ? await createPgDatabase() : await createPgliteDatabase();
        ctx.store = await ctx.db.open();
        await migrate(ctx.store, migrations());
      });
      after(async function () {
        await ctx.store?.close();
        await ctx.db?.drop();
      });
      body(ctx);
    });
  }
}
