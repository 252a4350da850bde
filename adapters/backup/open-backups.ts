// Builds the BackupService for the configured database: pg_dump for PostgreSQL, the data-folder dump for PGlite.
import type { BackupService } from '../../core/backup/backup-service';
import { createBackupService } from '../../core/backup/backup-service';
import type { Config } from '../../core/config/config';
import type { Clock } from '../../core/domain/clock';
import type { AuditSigner } from '../../core/events/chain';
import type { EventLog } from '../../core/events/event-log';
import type { Logger } from '../../core/observability/logger';
import type { Store } from '../../core/store/store';
import type { PgliteStore } from '../store-pglite/pglite-store';
import { createPgDumpEngine } from './pg-dump-engine';
import { createPgliteDumpEngine } from './pglite-dump-engine';

export interface BackupDeps {
  /** backupCompression unset: 0, the default of AURA_BACKUP_COMPRESSION. */
  config: Pick<Config, 'databaseUrl' | 'dbDir' | 'backupsDir'> & Partial<Pick<Config, 'backupCompression'>>;
  signer: AuditSigner;
  clock: Clock;
  logger: Logger;
  /** The open database; PostgreSQL always needs one, PGlite only to create a backup (listing and verifying need none). */
  store?: Store;
  events?: EventLog;
}

export function openBackups(deps: BackupDeps): BackupService {
  const { config, store } = deps;
  const engine = config.databaseUrl
    ? createPgDumpEngine({ url: config.databaseUrl, store, compression: config.backupCompression ?? 0 })
    : createPgliteDumpEngine({ store: store as PgliteStore | undefined, dbDir: config.dbDir, now: () => deps.clock.now() });
  return createBackupService({ engine, dir: config.backupsDir, signer: deps.signer, clock: deps.clock, logger: deps.logger, events: deps.events });
}
