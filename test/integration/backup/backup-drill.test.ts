// The restore drill on both databases: backup → verify → restore gives back equal counts and a verifying chain.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackups } from '../../../adapters/backup/open-backups';
import { openPgStore } from '../../../adapters/store-pg/pg-store';
import type { BackupService } from '../../../core/backup/backup-service';
import { takeCensus } from '../../../core/backup/take-census';
import { systemClock } from '../../../core/domain/clock';
import { createAuditSigner } from '../../../core/events/chain';
import { verifyChain } from '../../../core/events/verify-chain';
import { createLogger } from '../../../core/observability/logger';
import { migrate } from '../../../core/store/migrations';
import type { Store, StoreKind } from '../../../core/store/store';
import { TEST_AUDIT_KEY, testEventLog } from '../../support/events';
import { createPgDatabase, createPgliteDatabase, migrations, type TestDatabase } from '../../support/stores';

const signer = createAuditSigner(TEST_AUDIT_KEY);
const logger = createLogger({ service: 'test', level: 'silent', destination: 'stderr' });

async function appendEvents(store: Store, streams: string[], perStream: number): Promise<void> {
  const log = testEventLog(store);
  for (const stream of streams) {
    for (let i = 0; i < perStream; i++) await log.append({ type: 'AuditKeyGenerated', actor: 'test', stream, payload: { location: `${stream}-${i}` } });
  }
}

for (const kind of ['postgres', 'pglite'] as StoreKind[]) {
  describe(`backups [${kind}]`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: Store;
    let dir: string;
    /** The Director's CLI connects as aura-cli: a restore refuses while any other aura connection (a Manager) is open. */
    const open = async () => (kind === 'postgres' ? openPgStore({ url: db.url, applicationName: 'aura-cli-test' }) : db.open());
    const backupsOn = (s: Store | undefined, clock = systemClock): BackupService =>
      openBackups({ config: kind === 'postgres' ? { databaseUrl: db.url, dbDir: '', backupsDir: dir } : { dbDir: db.url, backupsDir: dir }, signer, clock, logger, store: s, events: s ? testEventLog(s) : undefined });

    before(async () => {
      db = kind === 'postgres' ? await createPgDatabase() : await createPgliteDatabase();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-backups-'));
      store = await open();
      await migrate(store, migrations());
      await appendEvents(store, ['system', 'run_a', 'run_b'], 40);
    });
    after(async () => {
      await store?.close().catch(() => undefined);
      await db?.drop();
    });

    it('writes a dump and a manifest with counts per table, every chain head and the file sha256', async () => {
      const m = await backupsOn(store).create('director', 'director:test');
      assert.equal(m.kind, kind);
      assert.ok(fs.statSync(path.join(dir, m.file)).size === m.sizeBytes && m.sizeBytes > 0);
      assert.equal(m.census.tables.events, 120);
      assert.deepEqual(m.census.chainHeads.map((h) => [h.stream, h.seq]), [['run_a', 40], ['run_b', 40], ['system', 40]]);
      assert.equal(m.census.migration, migrations().at(-1)!.id);
      assert.deepEqual(backupsOn(undefined).list().backups.map((b) => b.id), [m.id]);
    });

    it('verifies a backup by restoring it into a scratch database: counts, chain heads and the chain all match', async () => {
      const id = backupsOn(undefined).list().backups[0]!.id;
      const result = await backupsOn(kind === 'postgres' ? store : undefined).verify(id, 'director:test');
      assert.deepEqual(result.problems, []);
      assert.equal(result.ok, true);
      assert.ok(result.events >= 120);
    });

    it('fails verification of a dump whose bytes changed, and of a manifest whose counts were edited', async () => {
      const backups = backupsOn(kind === 'postgres' ? store : undefined);
      const m = backups.list().backups[0]!;
      const manifestPath = path.join(dir, `aura-${m.id}.manifest.json`);
      const original = fs.readFileSync(manifestPath, 'utf8');
      try {
        fs.writeFileSync(manifestPath, JSON.stringify({ ...m, census: { ...m.census, tables: { ...m.census.tables, events: 119 } } }));
        const edited = await backups.verify(m.id, 'director:test');
        assert.equal(edited.ok, false);
        assert.match(edited.problems.join('\n'), /aura\.events: 120 rows, expected 119/);
        fs.writeFileSync(manifestPath, JSON.stringify({ ...m, sha256: 'a'.repeat(64) }));
        const corrupt = await backups.verify(m.id, 'director:test');
        assert.match(corrupt.problems.join('\n'), /the dump's sha256 is [0-9a-f]{64}, the manifest says a{64}/);
      } finally {
        fs.writeFileSync(manifestPath, original);
      }
    });

    // PGlite is one connection in one process: nothing can append while it dumps, so this is PostgreSQL's case.
    if (kind === 'postgres') {
      it('counts exactly what the dump holds while a Manager goes on appending', async () => {
        const writer = await openPgStore({ url: db.url, applicationName: 'aura-cli-writer' });
        let writing = true;
        const writes = (async () => {
          while (writing) await appendEvents(writer, ['run_live'], 5);
        })();
        try {
          await new Promise((r) => setTimeout(r, 300));
          const m = await backupsOn(store).create('schedule', 'manager:test');
          await new Promise((r) => setTimeout(r, 300));
          writing = false;
          await writes;
          const live = (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM aura.events')).rows[0]!.n;
          assert.ok(live > m.census.tables.events!, 'events were appended after the snapshot');
          assert.ok(m.census.tables.events! > 120, 'and before it');
          const verified = await backupsOn(store).verify(m.id, 'director:test');
          assert.deepEqual(verified.problems, []);
        } finally {
          writing = false;
          await writes;
          await writer.close();
        }
      });
    }

    it('restores a backup over newer writes: the database holds exactly what the manifest says and its chain verifies', async () => {
      const m = backupsOn(undefined).list().backups.at(-1)!;
      await appendEvents(store, ['run_c'], 10);
      if (kind === 'postgres') {
        // A Manager (any other aura connection) still connected: refused, nothing changed.
        const manager = await openPgStore({ url: db.url, applicationName: 'aura' });
        await manager.query('SELECT 1');
        await assert.rejects(backupsOn(store).restore(m.id), /Stop every aura serve first/);
        await manager.close();
      } else {
        await store.close(); // the embedded folder is replaced: nothing may hold it
      }
      const restored = await backupsOn(kind === 'postgres' ? store : undefined).restore(m.id);
      assert.equal(restored.manifest.id, m.id);
      if (kind === 'pglite') store = await open();
      assert.deepEqual(await takeCensus(store), m.census);
      const chain = await verifyChain(store, signer);
      assert.equal(chain.ok, true, JSON.stringify(chain.problems));
      assert.equal((await store.query(`SELECT count(*)::int AS n FROM aura.events WHERE stream = 'run_c'`)).rows[0]!.n, 0);
    });

    it('removes backups older than the retention only when the Director prunes', async () => {
      const later = { ...systemClock, now: () => new Date(Date.now() + 40 * 86_400_000) };
      const backups = backupsOn(store, later);
      const before = backups.list().backups.length;
      assert.ok(before >= 1);
      assert.deepEqual(await backups.prune(60, 'director:test'), []);
      assert.equal((await backups.prune(30, 'director:test')).length, before);
      assert.deepEqual(backups.list().backups, []);
      assert.deepEqual(fs.readdirSync(dir), []);
    });
  });
}
