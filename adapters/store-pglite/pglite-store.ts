// The Store port on embedded PostgreSQL (PGlite): the default when DATABASE_URL is unset.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { AuraError } from '../../core/domain/errors';
import type { Queryable, QueryResult, Store } from '../../core/store/store';
import { acquireDirLock } from './dir-lock';

export interface PgliteStoreOptions {
  /** A folder for the data; omitted means in memory (tests). */
  dataDir?: string;
  /** A data folder dumped by `dumpDataDir` to start from (a backup being verified or restored). */
  loadDataDir?: Blob;
}

/** The embedded store can also dump its whole data folder (a gzipped tar): its backup. */
export interface PgliteStore extends Store {
  dumpDataDir(): Promise<Blob>;
}

const parsers = { 20: (value: string) => Number(value) };

/**
 * PGlite is one connection in one process: it serialises queries and transactions itself.
 * Invariant for callers: inside `transaction(fn)`, use only `tx` — a query on the store itself would
 * wait for the transaction that is waiting for it.
 */
export async function openPgliteStore(options: PgliteStoreOptions = {}): Promise<PgliteStore> {
  let release: (() => void) | undefined;
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    release = acquireDirLock(options.dataDir);
  }
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir, { parsers, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
    await db.query('SELECT 1');
  } catch (error) {
    release?.();
    const where = options.dataDir ? path.resolve(options.dataDir) : 'memory';
    throw new AuraError(
      'unavailable',
      `The embedded database at ${where} cannot be opened (${(error as Error).message ?? error}). It may be corrupt or from another program: move the folder aside (or set AURA_HOME to another folder) and start again; nothing was changed.`,
      { cause: error, retryable: false },
    );
  }

  const wrap = (target: PGlite | Transaction): Queryable => ({
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await target.query<R>(sql, params as unknown[] | undefined);
      // affectedRows is 0 for a SELECT; pg's rowCount counts the rows returned then.
      return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  });

  const root = wrap(db);
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  return {
    kind: 'pglite',
    query: root.query,
    exec: root.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return async () => {
        if (!db.closed) await stop();
      };
    },
    // One connection in one process: a session is that connection, shared by every session of the process (the
    // leader lock and each Manager's liveness lock), so releasing one leaves the others' locks alone: each holder
    // unlocks what it took. Closing the database drops them all.
    async session() {
      return {
        lost: closed,
        query: root.query,
        exec: root.exec,
        async release() {},
      };
    },
    dumpDataDir: () => db.dumpDataDir('gzip'),
    async ping() {
      try {
        await db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      try {
        if (!db.closed) await db.close();
      } finally {
        markClosed();
        release?.();
      }
    },
  };
}
