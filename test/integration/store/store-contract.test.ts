// The Store contract, one suite for both adapters: queries, transactions, LISTEN/NOTIFY, ping.
import assert from 'node:assert/strict';
import { describeStores } from '../../support/stores';

describeStores('Store contract', (ctx) => {
  before(async () => {
    await ctx.store.exec('CREATE TABLE contract_t (id int PRIMARY KEY, v text); CREATE TABLE contract_u (id int)');
  });

  it('runs parameterised queries and returns rows and counts', async () => {
    const insert = await ctx.store.query('INSERT INTO contract_t VALUES ($1, $2), ($3, $4)', [1, 'a', 2, 'b']);
    assert.equal(insert.rowCount, 2);
    const rows = await ctx.store.query<{ id: number; v: string }>('SELECT id, v FROM contract_t ORDER BY id');
    assert.deepEqual(rows.rows, [{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  });

  it('returns bigint counts as numbers', async () => {
    const result = await ctx.store.query<{ n: number }>('SELECT count(*) AS n FROM contract_t');
    assert.equal(result.rows[0]!.n, 2);
  });

  it('commits a transaction that resolves', async () => {
    await ctx.store.transaction(async (tx) => {
      await tx.query('INSERT INTO contract_u VALUES (1)');
      await tx.query('INSERT INTO contract_u VALUES (2)');
    });
    assert.equal((await ctx.store.query('SELECT * FROM contract_u')).rowCount, 2);
  });

  it('rolls back every statement of a transaction that throws', async () => {
    await assert.rejects(
      ctx.store.transaction(async (tx) => {
        await tx.query('INSERT INTO contract_u VALUES (3)');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal((await ctx.store.query('SELECT * FROM contract_u WHERE id = 3')).rowCount, 0);
  });

  it('rolls back on an SQL error and stays usable', async () => {
    await assert.rejects(ctx.store.transaction((tx) => tx.query('INSERT INTO contract_t VALUES (1, $1)', ['dup'])));
    assert.equal((await ctx.store.query('SELECT 1 AS one')).rows.length, 1);
  });

  it('delivers NOTIFY to a listener and stops after unlisten', async () => {
    const got: string[] = [];
    const stop = await ctx.store.listen('contract_chan', (p) => got.push(p));
    await ctx.store.query("SELECT pg_notify('contract_chan', 'hello')");
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(got, ['hello']);
    await stop();
    await ctx.store.query("SELECT pg_notify('contract_chan', 'again')");
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(got, ['hello']);
  });

  it('answers ping', async () => {
    assert.equal(await ctx.store.ping(), true);
  });
});
