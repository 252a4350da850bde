// The Store port on a real PostgreSQL server through `pg`: a pool, transactions, and a self-healing LISTEN.
import pg from 'pg';
import { AuraError } from '../../core/domain/errors';
import { redactUrl } from '../../core/config/config';
import type { Logger } from '../../core/observability/logger';
import type { Queryable, QueryResult, Store, StoreSession } from '../../core/store/store';
import { createPgListener } from './pg-listener';

// int8 and numeric come back as strings by default; counts and sequence numbers here fit in a double.
pg.types.setTypeParser(20, (value) => Number(value));

export interface PgStoreOptions {
  url: string;
  max?: number;
  logger?: Logger;
  applicationName?: string;
}

/** Errors that mean "the server went away or is restarting": a retry on a new connection can help. */
const transientCodes = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isTransientPgError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  if (code && transientCodes.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|terminating connection|Client has encountered a connection error|server closed the connection/i.test(message);
}

export async function openPgStore(options: PgStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'aura',
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its server (restart, pg_terminate_backend) emits here; the pool replaces it.
  pool.on('error', (error) => options.logger?.warn({ err: error.message }, 'idle database connection lost; the pool will reconnect'));
  // A checked-out client whose backend is terminated between two of its queries (or while it connects) emits
  // 'error' with no listener of the pool's attached: without one of its own that is an uncaught exception. Its
  // next query fails (and is retried where transient); the pool discards it on release, as it is not queryable.
  pool.on('connect', (client) => client.on('error', (error) => options.logger?.warn({ err: error.message }, 'database connection lost while in use')));

  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new AuraError(
      'unavailable',
      `Cannot reach the database at DATABASE_URL (${redactUrl(options.url)}): ${(error as Error).message}. Start PostgreSQL there or fix DATABASE_URL (unset it to use the embedded database).`,
      { cause: error },
    );
  }

  const run = async <R>(target: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const result = await target.query(sql, params as unknown[] | undefined);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };

  const listener = createPgListener(options.url, options.logger);

  return {
    kind: 'postgres',
    async query<R>(sql: string, params?: readonly unknown[]) {
      // One retry on a connection the server just killed: the pool hands out a fresh one.
      try {
        return await run<R>(pool, sql, params);
      } catch (error) {
        if (!isTransientPgError(error)) throw error;
        return run<R>(pool, sql, params);
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: <R>(sql: string, params?: readonly unknown[]) => run<R>(client, sql, params),
          exec: async (sql: string) => {
            await client.query(sql);
          },
        };
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        broken = isTransientPgError(error);
        if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        // A client whose connection failed is destroyed rather than returned to the pool.
        client.release(broken);
      }
    },
    listen: (channel, onNotify) => listener.listen(channel, onNotify),
    session: () => openPgSession(options.url, options.applicationName ?? 'aura'),
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/** A connection outside the pool: its session state (advisory locks) ends exactly when it does. */
async function openPgSession(url: string, applicationName: string): Promise<StoreSession> {
  const client = new pg.Client({ connectionString: url, application_name: `${applicationName}-session`, connectionTimeoutMillis: 5_000 });
  let markLost!: () => void;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  // A terminated backend or a server restart surfaces here; the holder learns it through `lost`.
  client.on('error', () => markLost());
  client.on('end', () => markLost());
  try {
    await client.connect();
  } catch (error) {
    markLost();
    throw new AuraError('unavailable', `Cannot open a database session: ${(error as Error).message}`, { cause: error });
  }
  return {
    lost,
    async query<R>(sql: string, params?: readonly unknown[]) {
      const result = await client.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async release() {
      await client.end().catch(() => undefined);
      markLost();
    },
  };
}
