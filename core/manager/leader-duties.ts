// The periodic duties of the one leader among Managers: resume attempts whose lease expired and make tasks
// whose retry wait is over ready again. Leadership is a PostgreSQL advisory session lock (leader-lock).
import type { BackupDuty } from '../backup/backup-duty';
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import { expireLeases } from '../queue/expire-leases';
import { createLeaderLock } from '../queue/leader-lock';
import { promoteDueRetries } from '../queue/promote-retries';
import type { Store } from '../store/store';
import type { SchedulerOptions } from './scheduler-options';

export interface LeaderDuties {
  loop(signal: AbortSignal): Promise<void>;
  sweepOnce(): Promise<void>;
  isLeader(): boolean;
  release(): Promise<void>;
}

export function createLeaderDuties(deps: { store: Store; events: EventLog; clock: Clock; logger: Logger; options: SchedulerOptions; actor: string; onWork: () => void; backups?: BackupDuty }): LeaderDuties {
  const lock = createLeaderLock({ store: deps.store, logger: deps.logger, clock: deps.clock });
  const sweepOnce = async () => {
    if (!(await lock.check())) return;
    const now = deps.clock.now();
    const expired = await expireLeases(deps.store, deps.events, { now, maxLeaseExpiries: deps.options.maxLeaseExpiries, backoffMs: deps.options.backoffMs, limit: 200, actor: deps.actor });
    const promoted = await promoteDueRetries(deps.store, deps.events, { now, limit: 500, actor: deps.actor });
    if (expired.resumed || expired.failed) deps.logger.warn({ resumed: expired.resumed, failed: expired.failed }, 'expired leases swept');
    if (expired.resumed || promoted) deps.onWork();
    deps.backups?.due(now);
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
    release: () => lock.release(),
  };
}
