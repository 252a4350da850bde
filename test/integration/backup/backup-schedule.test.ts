// Backups taken without the Director: the leader's schedule (AURA_BACKUP_CRON) and the one after a migration.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackups } from '../../../adapters/backup/open-backups';
import { openPgliteStore } from '../../../adapters/store-pglite/pglite-store';
import { createBackupDuty } from '../../../core/backup/backup-duty';
import { loadConfig } from '../../../core/config/config';
import { systemClock } from '../../../core/domain/clock';
import { createAuditSigner } from '../../../core/events/chain';
import { createLogger } from '../../../core/observability/logger';
import { migrate } from '../../../core/store/migrations';
import { openCore } from '../../../mcp-server/app/open-core';
import { TEST_AUDIT_KEY, testEventLog } from '../../support/events';
import { describeStores, migrations } from '../../support/stores';

const logger = createLogger({ service: 'test', level: 'silent', destination: 'stderr' });

describeStores('the scheduled backup', (ctx) => {
  it('is taken once its cron time has passed, once, and a new leader reads the last one from the log', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-sched-'));
    const backups = openBackups({
      config: ctx.kind === 'postgres' ? { databaseUrl: ctx.db.url, dbDir: '', backupsDir: dir } : { dbDir: ctx.db.url, backupsDir: dir },
      signer: createAuditSigner(TEST_AUDIT_KEY),
      clock: systemClock,
      logger,
      store: ctx.store,
      events: testEventLog(ctx.store),
    });
    const duty = (startedAt: Date) => createBackupDuty({ backups, cron: '0 * * * *', store: ctx.store, logger, actor: 'manager:test', startedAt });
    const now = new Date();
    const leader = duty(new Date(now.getTime() - 2 * 3_600_000));
    leader.due(now);
    leader.due(now); // a second sweep while the first backup is written starts nothing
    await leader.idle();
    assert.deepEqual(backups.list().backups.map((b) => b.reason), ['schedule']);
    leader.due(now);
    await leader.idle();
    assert.equal(backups.list().backups.length, 1, 'not due again until the next hour');
    const successor = duty(new Date(now.getTime() - 5 * 3_600_000));
    successor.due(now);
    await successor.idle();
    assert.equal(backups.list().backups.length, 1, 'the new leader knows the last backup from the log');
    const events = await ctx.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM aura.events WHERE type = 'BackupCreated'`);
    assert.equal(events.rows[0]!.n, 1);
  });
});

describe('the backup after a migration', () => {
  it('is taken when a database that held data is migrated, and not for a new database', async function () {
    this.timeout(60_000);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-upgrade-'));
    const config = loadConfig({ AURA_HOME: home, AURA_AUDIT_KEY: TEST_AUDIT_KEY });
    const older = await openPgliteStore({ dataDir: config.dbDir });
    await migrate(older, migrations().slice(0, -1));
    await older.close();
    const core = await openCore({ config, logger });
    await core.store.close();
    const manifests = fs.readdirSync(config.backupsDir).filter((f) => f.endsWith('.manifest.json'));
    assert.equal(manifests.length, 1);
    const manifest = JSON.parse(fs.readFileSync(path.join(config.backupsDir, manifests[0]!), 'utf8')) as { reason: string; census: { migration: number } };
    assert.equal(manifest.reason, 'migration');
    assert.equal(manifest.census.migration, migrations().at(-1)!.id);

    const fresh = loadConfig({ AURA_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'aura-fresh-')), AURA_AUDIT_KEY: TEST_AUDIT_KEY });
    await (await openCore({ config: fresh, logger })).store.close();
    assert.equal(fs.existsSync(fresh.backupsDir), false);
  });
});
