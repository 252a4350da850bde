// The composition root's first half: open the store, migrate, find the audit key, build the CoreContext.
import path from 'node:path';
import { openBackups } from '../../adapters/backup/open-backups';
import { openContainerRuntime } from '../../adapters/containers/open-container-runtime';
import { openStore } from '../../adapters/store-open';
import type { Config } from '../../core/config/config';
import type { CoreContext } from '../../core/core-context';
import { type Clock, systemClock } from '../../core/domain/clock';
import { resolveAuditKey } from '../../core/events/audit-key';
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog } from '../../core/events/event-log';
import { signUnsignedHeads } from '../../core/events/head-checkpoint';
import type { Logger } from '../../core/observability/logger';
import { createMetrics } from '../../core/observability/metrics';
import { findMigrationsDir, loadMigrations, migrate, pendingMigrations } from '../../core/store/migrations';

export interface OpenCoreOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Apply pending migrations (serve does; read-only commands may not). */
  migrate?: boolean;
}

export function migrationsDir(): string {
  return findMigrationsDir(__dirname.includes(`${path.sep}dist`) ? __dirname : path.join(__dirname, '..', '..'));
}

export async function openCore(options: OpenCoreOptions): Promise<CoreContext> {
  const { config, logger } = options;
  const migrations = loadMigrations(migrationsDir());
  const store = await openStore(config, logger);
  try {
    let upgraded = false;
    if (options.migrate ?? true) {
      const report = await migrate(store, migrations);
      if (report.applied.length) logger.info({ applied: report.applied, current: report.current }, 'database migrated');
      // A database that held data before these migrations (not a new one) gets a backup at its new version.
      upgraded = report.applied.length > 0 && !report.applied.includes(migrations[0]!.id);
    }
    const auditKey = resolveAuditKey(config);
    if (auditKey.source === 'generated') {
      logger.warn({ location: auditKey.location }, 'AURA_AUDIT_KEY is not set: generated an audit key (mode 0600). Back it up; set AURA_AUDIT_KEY or AURA_AUDIT_KEY_FILE to manage it yourself.');
    }
    const signer = createAuditSigner(auditKey.key);
    if (options.migrate ?? true) await signUnsignedHeads(store, signer);
    const clock = options.clock ?? systemClock;
    const metrics = createMetrics();
    const events = createEventLog({ store, signer, clock, onAppended: (written) => written.forEach((e) => metrics.eventsAppended.inc({ type: e.type })) });
    if (auditKey.source === 'generated') {
      await events.append({ type: 'AuditKeyGenerated', actor: 'system', payload: { location: auditKey.location! } });
    }
    if (upgraded) {
      // Taken before anything else writes; a failure is logged, not fatal: the migrated database is fine without it.
      await openBackups({ config, signer, clock, logger, store, events })
        .create('migration', 'system')
        .catch((error) => logger.error({ err: (error as Error).message }, 'the backup after migrating failed; take one with aura backup create'));
    }
    return {
      config,
      store,
      events,
      signer,
      clock,
      logger,
      metrics,
      readiness: [
        { name: 'database', check: async () => ((await store.ping()) ? { ok: true, detail: `${store.kind} reachable` } : { ok: false, detail: `${store.kind} not reachable` }) },
        {
          name: 'migrations',
          check: async () => {
            const pending = await pendingMigrations(store, migrations);
            return pending.length ? { ok: false, detail: `pending migrations: ${pending.join(', ')}` } : { ok: true, detail: `at ${migrations.at(-1)!.id}` };
          },
        },
        // The engine may be down: the server still starts, /ready says why, and tasks wait.
        ...openContainerRuntime(config, logger).readiness,
      ],
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
