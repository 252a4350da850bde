// The periodic duties of the one leader among Managers, as a list run in order on every sweep: take over dead
// Managers' and expired attempts, make due retries ready, checkpoint the chain heads, and whatever duties the
// composition root adds (e.g. backups). Leadership is a PostgreSQL advisory session lock (leader-lock).
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import { createLeaderLock } from '../queue/leader-lock';
import { promoteDueRetries } from '../queue/promote-retries';
import type { Store } from '../store/store';
import type { LeaderDuty } from './duties/leader-duty';
import type { SchedulerOptions } from './scheduler-options';

export type { LeaderDuty } from './duties/leader-duty';

export interface LeaderDuties {
  loop(signal: AbortSignal): Promise<void>;
  sweepOnce(): Promise<void>;
  isLeader(): boolean;
  release(): Promise<void>;
}

export function retriesDuty(deps: { store: Store; events: EventLog; actor: string }): LeaderDuty {
  return {
    name: 'promote due retries',
    run: async (now) => (await promoteDueRetries(deps.store, deps.events, { now, limit: 500, actor: deps.actor })) > 0,
  };
}

export function createLeaderDuties(deps: { store: Store; clock: Clock; logger: Logger; options: SchedulerOptions; duties: readonly LeaderDuty[]; onWork: () => void }): LeaderDuties {
  const lock = createLeaderLock({ store: deps.store, logger: deps.logger, clock: deps.clock });
  const sweepOnce = async () => {
    if (!(await lock.check())) return;
    let work = false;
    for (const duty of deps.duties) {
      // One failing duty must not starve the others (a backup target away must not stop takeovers).
      try {
        if (await duty.run(deps.clock.now())) work = true;
      } catch (error) {
        deps.logger.warn({ duty: duty.name, err: toAuraError(error).message }, 'leader duty failed; retrying next sweep');
      }
    }
    if (work) deps.onWork();
  };
  return {
    async loop(signal) {
      while (!signal.aborted) {
        await sweepOnce().catch((error) => deps.logger.warn({ err: toAuraError(error).message }, 'leader sweep failed; retrying'));
        await deps.clock.sleep(deps.options.sweepMs, signal).catch(() => undefined);
      }
    },
    sweepOnce,
    isLeader: () => lock.isLeader(),
    async release() {
      if (lock.isLeader()) {
        for (const duty of deps.duties) await duty.onRelease?.().catch((error) => deps.logger.warn({ duty: duty.name, err: toAuraError(error).message }, 'leader duty failed on release'));
      }
      await lock.release();
    },
  };
}
