// Backups of PostgreSQL: pg_dump (custom format) of schema aura from the snapshot the census is counted in.
import { randomBytes } from 'node:crypto';
import type { Census } from '../../core/backup/backup-manifest';
import type { DumpEngine } from '../../core/backup/backup-service';
import { takeCensus } from '../../core/backup/take-census';
import { AuraError } from '../../core/domain/errors';
import type { Store } from '../../core/store/store';
import { openPgStore } from '../store-pg/pg-store';
import { pgEnvironment, restoreInOneTransaction, runToolToFile, withDatabase } from './pg-tools';

/** Drops what the dump recreates first, so a restore leaves nothing of the schema it replaces. */
const PRELUDE = 'DROP SCHEMA IF EXISTS aura CASCADE;\n';

/**
 * `store` is needed to dump, verify and restore (listing needs none). `compression` is pg_dump's level, 0-9
 * (AURA_BACKUP_COMPRESSION).
 */
export function createPgDumpEngine(deps: { url: string; store?: Store; compression: number }): DumpEngine {
  const { url } = deps;
  const db = (): Store => {
    if (!deps.store?.session) throw new AuraError('internal', 'backups of PostgreSQL need an open store with sessions');
    return deps.store;
  };
  return {
    kind: 'postgres',
    extension: '.dump',
    async dump(file): Promise<{ census: Census; sha256: string }> {
      // One REPEATABLE READ transaction exports its snapshot; pg_dump reads from it, and the census is counted in it
      // at the same time, so the manifest describes exactly the rows in the file while the Managers go on writing.
      // pg_dump writes to stdout, hashed on its way into the file (no second read for the sha256).
      const session = await db().session!();
      try {
        await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const snapshot = (await session.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
        const args = ['--format=custom', `--compress=${deps.compression}`, '--schema=aura', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`]; // no --file: to stdout
        const [census, sha256] = await Promise.all([takeCensus(session), runToolToFile('pg_dump', args, pgEnvironment(url), file)]);
        await session.query('COMMIT');
        return { census, sha256 };
      } finally {
        await session.release();
      }
    },
    async withScratch(file, use) {
      const name = `aura_verify_${randomBytes(4).toString('hex')}`;
      await db().query(`CREATE DATABASE ${name}`);
      try {
        await restoreInOneTransaction(file, '', pgEnvironment(url, name));
        const scratch = await openPgStore({ url: withDatabase(url, name), max: 2, applicationName: 'aura-verify' });
        try {
          return await use(scratch);
        } finally {
          await scratch.close();
        }
      } finally {
        await db().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    },
    async restore(file) {
      // A Manager still connected would block the schema's replacement, or write into it halfway: refuse instead.
      const others = await db().query<{ name: string; n: number }>(
        `SELECT application_name AS name, count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'aura%' AND application_name NOT LIKE 'aura-cli%'
          GROUP BY 1 ORDER BY 1`,
      );
      if (others.rows.length) {
        throw new AuraError('conflict', `Stop every aura serve first: Managers are connected to this database (${others.rows.map((r) => `${r.n} × ${r.name}`).join(', ')}).`);
      }
      await restoreInOneTransaction(file, PRELUDE, pgEnvironment(url));
    },
  };
}
