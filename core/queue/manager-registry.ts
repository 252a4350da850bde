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

export async function upsertManager(q: Queryable, m: { owner: string; lockKey: number; host: string; pid: number; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO aura.managers (owner, lock_key, host, pid, registered_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (owner) DO UPDATE SET lock_key = EXCLUDED.lock_key, host = EXCLUDED.host, pid = EXCLUDED.pid`,
    [m.owner, m.lockKey, m.host, m.pid, m.now.toISOString()],
  );
}

export async function forgetManager(q: Queryable, owner: string): Promise<void> {
  await q.query('DELETE FROM aura.managers WHERE owner = $1', [owner]);
}

/** Registered Managers whose liveness lock no session of this database holds: they are gone. */
export async function findDeadManagers(q: Queryable): Promise<ManagerRow[]> {
  const rows = await q.query<{ owner: string; lock_key: number; host: string; pid: number; registered_at: Date }>(
    `SELECT m.owner, m.lock_key, m.host, m.pid, m.registered_at FROM aura.managers m
      WHERE NOT EXISTS (
        SELECT 1 FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.classid = ${LIVENESS_LOCK_CLASS}::oid AND l.objid = m.lock_key::oid)
      ORDER BY m.registered_at`,
  );
  return rows.rows.map((r) => ({ owner: r.owner, lockKey: Number(r.lock_key), host: r.host, pid: Number(r.pid), registeredAt: new Date(r.registered_at) }));
}
