// Leader election: the Manager holding a PostgreSQL advisory session lock (on a dedicated session) runs the
// periodic duties; when its session dies the lock is released by the server and another Manager takes it.
import type { Clock } from '../domain/clock';
import type { Logger } from '../observability/logger';
import type { Store, StoreSession } from '../store/store';

/** Names "aura manager leader" among advisory locks. */
export const LEADER_LOCK = 7_307_010_011;

export interface LeaderLock {
  /** Whether this process holds the lock now. */
  isLeader(): boolean;
  /** Tries to take the lock (or confirms it is still held); returns whether this process leads. */
  check(): Promise<boolean>;
  /** Gives the lock up and closes the session. */
  release(): Promise<void>;
}

export function createLeaderLock(deps: { store: Store; logger: Logger; clock: Clock; key?: number }): LeaderLock {
  const { store, logger } = deps;
  const key = deps.key ?? LEADER_LOCK;
  let session: StoreSession | null = null;
  let leader = false;
  let opening: Promise<StoreSession> | null = null;

  const drop = async (why: string) => {
    const s = session;
    session = null;
    if (leader) logger.warn({ why }, 'no longer the leader');
    leader = false;
    await s?.release().catch(() => undefined);
  };

  const open = async (): Promise<StoreSession> => {
    const s = await store.session!();
    void s.lost.then(() => {
      if (session === s) void drop('database session lost');
    });
    return s;
  };

  return {
    isLeader: () => leader,
    async check() {
      if (!store.session) {
        // A store without sessions is one process's own database (nothing else can lead).
        leader = true;
        return true;
      }
      try {
        if (!session) {
          opening ??= open().finally(() => (opening = null));
          session = await opening;
        }
        if (leader) {
          // Still connected means still holding: the server frees the lock only with the session.
          await session.query('SELECT 1');
          return true;
        }
        const got = (await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key])).rows[0]?.ok === true;
        if (got) {
          leader = true;
          logger.info({ key }, 'became the leader');
        }
        return got;
      } catch (error) {
        await drop(`session failed: ${(error as Error).message}`);
        return false;
      }
    },
    async release() {
      const s = session;
      if (s && leader) await s.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
      await drop('released');
    },
  };
}
