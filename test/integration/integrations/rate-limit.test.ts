// The per-connector token bucket in its database row: burst, refill by elapsed time, the wait it names, concurrent takers.
import assert from 'node:assert/strict';
import { takeToken } from '../../../core/integrations/rate-limit';
import { describeStores } from '../../support/stores';

describeStores('integration rate limit', (ctx) => {
  let n = 0;
  async function connector(): Promise<string> {
    const id = `con_bucket${++n}`;
    await ctx.store.query(
      `INSERT INTO aura.integration_connectors (id, name, kind, base_url, credential_ref, rate_per_second, burst, created_by, created_at, updated_at)
       VALUES ($1, $1, 'slack', 'http://127.0.0.1:1', 'env:X', 5, 2, 'test', now(), now())`,
      [id],
    );
    return id;
  }
  const limit = { ratePerSecond: 5, burst: 2 };
  const t0 = new Date('2026-12-04T12:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it('lets a burst through, then names the wait until the next token', async () => {
    const id = await connector();
    assert.deepEqual(await takeToken(ctx.store, id, limit, at(0)), { taken: true });
    assert.deepEqual(await takeToken(ctx.store, id, limit, at(0)), { taken: true });
    assert.deepEqual(await takeToken(ctx.store, id, limit, at(0)), { taken: false, waitMs: 200 });
    assert.deepEqual(await takeToken(ctx.store, id, limit, at(100)), { taken: false, waitMs: 100 });
    assert.deepEqual(await takeToken(ctx.store, id, limit, at(200)), { taken: true });
  });

  it('refills by the time passed, never past the burst', async () => {
    const id = await connector();
    await takeToken(ctx.store, id, limit, at(0));
    await takeToken(ctx.store, id, limit, at(0));
    for (const _ of [1, 2]) assert.deepEqual(await takeToken(ctx.store, id, limit, at(60_000)), { taken: true });
    assert.equal((await takeToken(ctx.store, id, limit, at(60_000))).taken, false);
  });

  it('never gives the same token to two takers at once', async () => {
    const id = await connector();
    const results = await Promise.all(Array.from({ length: 12 }, () => takeToken(ctx.store, id, limit, at(0))));
    assert.equal(results.filter((r) => r.taken).length, 2);
  });

  it('does not refill from a clock that runs behind the last taker’s', async () => {
    const id = await connector();
    await takeToken(ctx.store, id, limit, at(10_000));
    await takeToken(ctx.store, id, limit, at(10_000));
    assert.equal((await takeToken(ctx.store, id, limit, at(5_000))).taken, false);
  });
});
