// The registry of running Managers (aura.managers): each holds a session advisory lock of its own, so which
// Managers are alive is read from the server's lock table, not from leases that take their full length to expire.
import type { Queryable } from '../store/store';

/** The advisory lock class of Manager liveness locks (pg_advisory_lock(class, key)); the leader lock uses a bigint key. */
export const LIVENESS_LOCK_CLASS = 7307;

export interface ManagerRow {
  owner: string;
  lockKey: number;
  host: string;
  pid: number;
  registeredAt: Date;
  /** The container engine it ran containers on (its ID), or null when it had none. */
  engine: string | null;
  /** When a Manager of its engine removed its containers (it is dead: it starts no more), and how many. */
  reapedAt: Date | null;
  containersRemoved: number | null;
}

/** Takes a fresh liveness key and its lock on `session`; false if another session holds it (the sequence cycled). */
export async function lockLivenessKey(session: Queryable): Promise<number | null> {
  const row = (
    await session.query<{ key: number; ok: boolean }>(
      `SELECT k.key, pg_try_advisory_lock(${LIVENESS_LOCK_CLASS}, k.key) AS ok FROM (SELECT nextval('aura.manager_lock_keys')::int AS key) k`,
    )
  ).rows[0]!;
  return row.ok ? Number(row.key) : null;
}

/** Takes the lock of a key this Manager registered before (after its session was lost and came back). */
export async function relockLivenessKey(session: Queryable, key: number): Promise<boolean> {
  return (await session.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LIVENESS_LOCK_CLASS}, $1::int) AS ok`, [key])).rows[0]?.ok === true;
}

export async function unlockLivenessKey(session: Queryable, key: number): Promise<void> {
  await session.query(`SELECT pg_advisory_unlock(${LIVENESS_LOCK_CLASS}, $1::int)`, [key]);
}

export async function upsertManager(q: Queryable, m: { owner: string; lockKey: number; host: string; pid: number; now: Date; engine?: string | null }): Promise<void> {
  await q.query(
    `INSERT INTO aura.managers (owner, lock_key, host, pid, registered_at, engine) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (owner) DO UPDATE SET lock_key = EXCLUDED.lock_key, host = EXCLUDED.host, pid = EXCLUDED.pid, engine = EXCLUDED.engine, reaped_at = NULL, containers_removed = NULL`,
    [m.owner, m.lockKey, m.host, m.pid, m.now.toISOString(), m.engine ?? null],
  );
}

/** A claim on removing a dead Manager's containers older than this is taken to be abandoned (its claimer died). */
const REAP_CLAIM_MS = 60_000;

/**
 * Claims the removal of a dead Manager's containers, so that of the Managers sharing its engine one removes them;
 * false when another holds a fresh claim or has done it.
 */
export async function claimReap(q: Queryable, owner: string, now: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE aura.managers SET reaped_at = $2 WHERE owner = $1 AND (reaped_at IS NULL OR (containers_removed IS NULL AND reaped_at < $3)) RETURNING owner`,
    [owner, now.toISOString(), new Date(now.getTime() - REAP_CLAIM_MS).toISOString()],
  );
  return rows.rows.length > 0;
}

/** Records that its containers are gone (how many were removed): any Manager, of any engine, may forget it now. */
export async function finishReap(q: Queryable, owner: string, removed: number): Promise<void> {
  await q.query('UPDATE aura.managers SET containers_removed = $2 WHERE owner = $1', [owner, removed]);
}

/** Gives a claim back (the engine did not answer): the next sweep tries again. */
export async function releaseReap(q: Queryable, owner: string): Promise<void> {
  await q.query('UPDATE aura.managers SET reaped_at = NULL WHERE owner = $1 AND containers_removed IS NULL', [owner]);
}

export async function forgetManager(q: Queryable, owner: string): Promise<void> {
  await q.query('DELETE FROM aura.managers WHERE owner = $1', [owner]);
}

/** Registered Managers whose liveness lock no session of this database holds: they are gone. */
export async function findDeadManagers(q: Queryable): Promise<ManagerRow[]> {
  const rows = await q.query<{ owner: string; lock_key: number; host: string; pid: number; registered_at: Date; engine: string | null; reaped_at: Date | null; containers_removed: number | null }>(
    `SELECT m.owner, m.lock_key, m.host, m.pid, m.registered_at, m.engine, m.reaped_at, m.containers_removed FROM aura.managers m
      WHERE NOT EXISTS (
        SELECT 1 FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.classid = ${LIVENESS_LOCK_CLASS}::oid AND l.objid = m.lock_key::oid)
      ORDER BY m.registered_at`,
  );
  return rows.rows.map((r) => ({
    owner: r.owner,
    lockKey: Number(r.lock_key),
    host: r.host,
    pid: Number(r.pid),
    registeredAt: new Date(r.registered_at),
    engine: r.engine,
    reapedAt: r.reaped_at ? new Date(r.reaped_at) : null,
    containersRemoved: r.containers_removed === null ? null : Number(r.containers_removed),
  }));
}
