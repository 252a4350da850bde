// The leader Manager's scheduled backup (AURA_BACKUP_CRON): due after the last one recorded, taken in the background.
import { toAuraError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import { nextBackupAt } from './backup-schedule';
import type { BackupService } from './backup-service';

export interface BackupDuty {
  /** Called on each leader sweep: starts a backup when one is due (never two at once) and returns at once. */
  due(now: Date): void;
  /** Resolves when no backup is being taken (shutdown waits for it). */
  idle(): Promise<void>;
}

/** When the last backup was taken, by the log (any Manager's, so a new leader does not take one again at once). */
async function lastBackupAt(store: Store): Promise<Date | undefined> {
  const row = (await store.query<{ at: Date }>(`SELECT occurred_at AS at FROM aura.events WHERE stream = 'system' AND type = 'BackupCreated' ORDER BY seq DESC LIMIT 1`)).rows[0];
  return row ? new Date(row.at) : undefined;
}

export function createBackupDuty(deps: { backups: BackupService; cron: string; store: Store; logger: Logger; actor: string; startedAt: Date }): BackupDuty {
  const log = deps.logger.child({ component: 'backup' });
  let next: Date | undefined;
  let known = false;
  let running: Promise<void> | undefined;

  const take = async (now: Date) => {
    if (!known) {
      // No backup yet: the first is due at the first scheduled time after this Manager started.
      next = nextBackupAt(deps.cron, (await lastBackupAt(deps.store)) ?? deps.startedAt);
      known = true;
    }
    if (!next || now < next) return;
    try {
      const m = await deps.backups.create('schedule', deps.actor);
      next = nextBackupAt(deps.cron, new Date(m.createdAt));
    } catch (error) {
      // The next scheduled time tries again; the failure is in the log for the operator (and /metrics via the logger).
      log.error({ err: toAuraError(error).message }, 'scheduled backup failed');
      next = nextBackupAt(deps.cron, now);
    }
  };

  return {
    due(now) {
      if (running || deps.cron === 'off') return;
      running = take(now)
        .catch((error) => log.warn({ err: toAuraError(error).message }, 'backup schedule check failed; retrying at the next sweep'))
        .finally(() => (running = undefined));
    },
    idle: async () => {
      await running;
    },
  };
}
