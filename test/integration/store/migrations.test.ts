// Migrations: applied once in order, recorded, safe under concurrent migrators, and refusing bad states.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { type Migration, currentVersion, migrate, pendingMigrations } from '../../../core/store/migrations';
import { createPgDatabase, createPgliteDatabase, describeStores, migrations } from '../../support/stores';

describeStores('migrations', (ctx) => {
  it('records every migration once and applies nothing the second time', async () => {
    const all = migrations();
    assert.equal(await currentVersion(ctx.store), all.at(-1)!.id);
    assert.deepEqual(await pendingMigrations(ctx.store, all), []);
    assert.deepEqual((await migrate(ctx.store, all)).applied, []);
  });

  it('refuses a migration file changed after it was applied, naming it', async () => {
    const changed: Migration[] = migrations().map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
    await assert.rejects(migrate(ctx.store, changed), (e: unknown) => AuraError.is(e, 'config') && /Migration 1 \(event-log\) was changed/.test(e.message));
  });

  it('refuses a database newer than the code, changing nothing', async () => {
    const fewer = migrations().slice(0, 1);
    if (migrations().length === 1) {
      await ctx.store.query("INSERT INTO aura.migrations (id, name, checksum) VALUES (999, 'future', 'x')");
    }
    await assert.rejects(migrate(ctx.store, fewer), /newer than this version/);
    await ctx.store.query('DELETE FROM aura.migrations WHERE id = 999');
  });

  it('rolls back a failing migration entirely and records nothing of it', async () => {
    const broken: Migration = { id: 998, name: 'broken', checksum: 'b', sql: 'CREATE TABLE aura.half_done (id int); SELECT no_such_function();' };
    await assert.rejects(migrate(ctx.store, [...migrations(), broken]));
    const t = await ctx.store.query("SELECT to_regclass('aura.half_done') IS NOT NULL AS t");
    assert.equal((t.rows[0] as { t: boolean }).t, false);
    assert.equal((await ctx.store.query('SELECT 1 FROM aura.migrations WHERE id = 998')).rowCount, 0);
  });
});

describe('migrations on a foreign or shared database', () => {
  it('refuses a database whose aura schema it did not create [pglite]', async () => {
    const db = await createPgliteDatabase();
    const store = await db.open();
    try {
      await store.exec('CREATE SCHEMA aura; CREATE TABLE aura.something_else (id int)');
      await assert.rejects(migrate(store, migrations()), /did not create/);
      assert.equal((await store.query("SELECT to_regclass('aura.events') IS NULL AS absent")).rows[0]!.absent, true);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('two processes migrating one empty database at once both succeed and apply each migration once [postgres]', async function () {
    this.timeout(30_000);
    const db = await createPgDatabase();
    const stores = await Promise.all([db.open(), db.open(), db.open()]);
    try {
      const reports = await Promise.all(stores.map((s) => migrate(s, migrations())));
      const applied = reports.flatMap((r) => r.applied).sort((a, b) => a - b);
      assert.deepEqual(applied, migrations().map((m) => m.id));
      const rows = await stores[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM aura.migrations');
      assert.equal(rows.rows[0]!.n, migrations().length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });
});
