// `aura backup create|list|verify|restore|prune`: the database's backups, their manifests and the restore drill.
import type { Command } from 'commander';
import { openBackups } from '../../adapters/backup/open-backups';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { openPgliteStore } from '../../adapters/store-pglite/pglite-store';
import type { BackupManifest } from '../../core/backup/backup-manifest';
import type { BackupService } from '../../core/backup/backup-service';
import { type Config, loadConfig } from '../../core/config/config';
import { envNames } from '../../core/config/env-names';
import { systemClock } from '../../core/domain/clock';
import { AuraError } from '../../core/domain/errors';
import { resolveAuditKey } from '../../core/events/audit-key';
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog } from '../../core/events/event-log';
import { createLogger } from '../../core/observability/logger';
import type { Store } from '../../core/store/store';
import { openCore } from '../app/open-core';
import { runningServe } from '../mcp/stdio/running-serve';
import { act, exitCodes, positiveInt, printJson, printTable } from './command-kit';

const ACTOR = 'director:cli';

interface Opened {
  config: Config;
  backups: BackupService;
  close(): Promise<void>;
}

/**
 * Opens the backups of the configured database. `store: 'required'` opens the database (and records events in it);
 * `'if-free'` opens it unless a running `aura serve` holds the embedded one (listing and verifying need no database).
 */
async function open(store: 'required' | 'if-free' | 'none'): Promise<Opened> {
  const config = loadConfig();
  const logger = createLogger({ service: 'backup', level: 'warn', destination: 'stderr' });
  const signer = createAuditSigner(resolveAuditKey(config).key);
  const serve = config.databaseUrl ? undefined : runningServe(config.home);
  if (store === 'required' && serve) {
    throw new AuraError('conflict', `aura serve (pid ${serve.pid}) holds the embedded database: its leader takes the scheduled backups (${envNames.backupCron}). Stop it to back up or restore from here, or use PostgreSQL (${envNames.databaseUrl}).`);
  }
  let db: Store | undefined;
  if (store === 'required' || (store === 'if-free' && !serve) || config.databaseUrl) {
    db = config.databaseUrl ? await openPgStore({ url: config.databaseUrl, max: 2, applicationName: 'aura-cli' }) : await openPgliteStore({ dataDir: config.dbDir });
  }
  const events = db ? createEventLog({ store: db, signer, clock: systemClock }) : undefined;
  return { config, backups: openBackups({ config, signer, clock: systemClock, logger, store: db, events }), close: async () => db?.close() };
}

const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
const rows = (m: BackupManifest) => Object.values(m.census.tables).reduce((a, b) => a + b, 0);

export function register(program: Command): void {
  const backup = program.command('backup').description('Backups of the database: create, list, verify (restores into a scratch copy), restore, prune');

  backup.command('create').description('Take a backup now (pg_dump custom format, or the embedded database\'s dump) with its manifest').option('--json', 'print the manifest').action(
    act('backup create', async (options: { json?: boolean }) => {
      const { backups, close } = await open('required');
      try {
        const m = await backups.create('director', ACTOR);
        if (options.json) printJson(m);
        else process.stdout.write(`Backup ${m.id}: ${size(m.sizeBytes)}, ${rows(m)} rows in ${Object.keys(m.census.tables).length} tables, ${m.census.chainHeads.length} chains, ${(m.durationMs / 1000).toFixed(1)} s\n  ${backups.dir}/${m.file}\n`);
      } finally {
        await close();
      }
    }),
  );

  backup.command('list').description('Backups, newest first').option('--json', 'print the manifests').action(
    act('backup list', async (options: { json?: boolean }) => {
      const { backups, close } = await open('none');
      try {
        const { backups: list, unreadable } = backups.list();
        if (options.json) return printJson({ dir: backups.dir, backups: list, unreadable });
        printTable(list.map((m) => ({ id: m.id, kind: m.kind, reason: m.reason, size: size(m.sizeBytes), rows: String(rows(m)), migration: String(m.census.migration) })), ['id', 'kind', 'reason', 'size', 'rows', 'migration'], `No backups in ${backups.dir}.`);
        for (const name of unreadable) process.stdout.write(`  unreadable manifest: ${name}\n`);
      } finally {
        await close();
      }
    }),
  );

  backup.command('verify').description('Restore a backup into a scratch database and check its sha256, row counts and audit chain (exit 1 if any differ)').argument('<backup>', 'backup id, or "latest"').option('--json', 'print the result').action(
    act('backup verify', async (id: string, options: { json?: boolean }) => {
      const { backups, close } = await open('if-free');
      try {
        const chosen = id === 'latest' ? backups.list().backups[0]?.id : id;
        if (!chosen) throw new AuraError('not_found', `No backups in ${backups.dir}.`);
        const result = await backups.verify(chosen, ACTOR);
        if (options.json) printJson({ id: chosen, ok: result.ok, problems: result.problems, events: result.events, durationMs: result.durationMs });
        else if (result.ok) process.stdout.write(`Backup ${chosen} verified: sha256, ${rows(result.manifest)} rows in ${Object.keys(result.manifest.census.tables).length} tables and ${result.events} chained events match (${(result.durationMs / 1000).toFixed(1)} s).\n`);
        else process.stdout.write(`Backup ${chosen} FAILED verification:\n${result.problems.map((p) => `  ${p}\n`).join('')}`);
        return result.ok ? exitCodes.ok : exitCodes.failed;
      } finally {
        await close();
      }
    }),
  );

  backup
    .command('restore')
    .description('Replace the database with a backup (all or nothing); stop every aura serve first')
    .argument('<backup>', 'backup id')
    .option('--yes', 'confirm: the current contents are replaced')
    .option('--json', 'print the result')
    .action(
      act('backup restore', async (id: string, options: { yes?: boolean; json?: boolean }) => {
        if (!options.yes) throw new AuraError('invalid_input', 'aura backup restore replaces the database: add --yes to confirm.');
        const { config, backups, close } = await open('required');
        let restored: { manifest: BackupManifest; durationMs: number };
        try {
          if (!config.databaseUrl) await close(); // the embedded folder is replaced: nothing may hold it
          restored = await backups.restore(id);
        } finally {
          await close();
        }
        // The restored database may be older than this code: open it as the server would (migrating), and record the restore.
        const core = await openCore({ config, logger: createLogger({ service: 'backup', level: 'warn', destination: 'stderr' }), migrate: true });
        try {
          await core.events.append({ type: 'BackupRestored', actor: ACTOR, payload: { backupId: id, createdAt: restored.manifest.createdAt, durationMs: restored.durationMs } });
        } finally {
          await core.store.close();
        }
        if (options.json) printJson({ id, restored: true, durationMs: restored.durationMs });
        else process.stdout.write(`Restored backup ${id} (taken ${restored.manifest.createdAt}) in ${(restored.durationMs / 1000).toFixed(1)} s.\n`);
      }),
    );

  backup
    .command('prune')
    .description('The Director\'s cleanup: remove backups older than the retention (nothing else ever removes them)')
    .option('--older-than <days>', `days to keep (default ${envNames.backupRetentionDays}, 30)`, positiveInt)
    .option('--json', 'print what was removed')
    .action(
      act('backup prune', async (options: { olderThan?: number; json?: boolean }) => {
        const { config, backups, close } = await open('required');
        try {
          const removed = await backups.prune(options.olderThan ?? config.backupRetentionDays, ACTOR);
          if (options.json) printJson({ removed: removed.map((m) => m.id) });
          else process.stdout.write(removed.length ? `Removed ${removed.length} backup(s): ${removed.map((m) => m.id).join(', ')}\n` : 'No backup is older than the retention.\n');
        } finally {
          await close();
        }
      }),
    );
}
