// The Store port owned by core: SQL over PostgreSQL (pg) or embedded PostgreSQL (PGlite), one contract.

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything SQL can be sent to: the store itself or a transaction in progress. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type StoreKind = 'postgres' | 'pglite';

/** A connection of its own, for state that lives as long as a session does (advisory session locks). */
export interface StoreSession extends Queryable {
  /** Resolves (never rejects) when the connection is gone; whatever the session held is then released. */
  readonly lost: Promise<void>;
  /** Closes the connection (or hands it back); session state such as advisory locks goes with it. */
  release(): Promise<void>;
}

export interface Store extends Queryable {
  readonly kind: StoreKind;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `onNotify` on each NOTIFY of `channel`; the returned function stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Optional: opens a dedicated session (PostgreSQL: a connection outside the pool; PGlite: its one
   * connection). Used for leader election by advisory session lock.
   */
  session?(): Promise<StoreSession>;
  /** Whether the database answers a trivial query now. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
