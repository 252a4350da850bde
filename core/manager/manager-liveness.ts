// This Manager's liveness, as the other Managers see it: a session advisory lock held on a connection of its own
// plus its row in aura.managers. When the process dies the server frees the lock at once, so the leader's next
// sweep (not the end of a lease) hands its attempts to others. Losing the session means being taken for dead:
// the Manager stops its own attempts then (they resume wherever the leader hands them) and registers again.
import os from 'node:os';
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import { lockLivenessKey, relockLivenessKey, unlockLivenessKey, upsertManager, forgetManager } from '../queue/manager-registry';
import type { Store, StoreSession } from '../store/store';

export interface ManagerLiveness {
  /** Registers (or registers again after a lost session); resolves whether others now see this Manager alive. */
  ensure(): Promise<boolean>;
  /** Whether this Manager holds its liveness lock now (always true on a store without sessions). */
  alive(): boolean;
  /** Unlocks, forgets this Manager's row and closes the session (an orderly stop). */
  release(): Promise<void>;
}

export interface ManagerLivenessDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  owner: string;
  /** Called when the session is lost: others may take this Manager's attempts from now on. */
  onLost: () => void;
  /** The container engine this Manager runs containers on (its ID), recorded with its registration. */
  engine?: () => Promise<string | null>;
}

export function createManagerLiveness(deps: ManagerLivenessDeps): ManagerLiveness {
  const { store, logger, owner } = deps;
  let session: StoreSession | null = null;
  let key: number | null = null;
  let registering: Promise<boolean> | null = null;

  const lose = (why: string) => {
    const s = session;
    if (!s) return;
    session = null;
    logger.warn({ why }, 'liveness session lost: this Manager counts as dead until it registers again');
    void s.release().catch(() => undefined);
    deps.onLost();
  };

  const register = async (): Promise<boolean> => {
    let s: StoreSession | null = null;
    try {
      s = await store.session!();
      const got = key !== null && (await relockLivenessKey(s, key)) ? key : await lockLivenessKey(s);
      if (got === null) throw new Error('no free liveness key');
      // An engine that does not answer yet leaves the engine unknown: its containers are then anyone's to remove.
      const engine = deps.engine ? await deps.engine().catch(() => null) : null;
      await upsertManager(store, { owner, lockKey: got, host: os.hostname(), pid: process.pid, now: deps.clock.now(), engine });
      key = got;
      session = s;
      const mine = s;
      void mine.lost.then(() => {
        if (session === mine) lose('database session ended');
      });
      logger.info({ lockKey: got }, 'registered as a live Manager');
      return true;
    } catch (error) {
      logger.warn({ err: toAuraError(error).message }, 'could not register as a live Manager; retrying');
      await s?.release().catch(() => undefined);
      return false;
    }
  };

  return {
    async ensure() {
      if (!store.session) return true;
      if (session) return true;
      registering ??= register().finally(() => (registering = null));
      return registering;
    },
    alive: () => !store.session || session !== null,
    async release() {
      await registering?.catch(() => false);
      const s = session;
      session = null;
      if (!s) return;
      // Forget the row first: an unlocked row would read as a dead Manager whose attempts need taking over.
      await forgetManager(store, owner).catch((error) => logger.warn({ err: toAuraError(error).message }, 'could not forget this Manager; the leader will'));
      if (key !== null) await unlockLivenessKey(s, key).catch(() => undefined);
      await s.release().catch(() => undefined);
    },
  };
}
