// Deliveries across Managers sharing one PostgreSQL: each event sent once, a dead Manager's claim sent again under the
// same key, and an event whose transaction commits after a later one still delivered.
import assert from 'node:assert/strict';
import { createFetchWebhookSender } from '../../../adapters/notifications/fetch-webhook-sender';
import type { CoreContext } from '../../../core/core-context';
import { claimDeliveries } from '../../../core/notifications/claim-deliveries';
import { createNotifications, type NotificationsService } from '../../../core/notifications/notifications-service';
import type { NotifierOptions } from '../../../core/notifications/notifier';
import type { Store } from '../../../core/store/store';
import { describeStores } from '../../support/stores';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { testCore } from '../mcp/support/mcp-harness';

const KEY = 'whsec-managers-0123456789';
const options: Partial<NotifierOptions> = { timeoutMs: 2_000, leaseMs: 60_000, batch: 4, rules: { maxAttempts: 3, backoffMs: [20], maxRetryAfterMs: 0 } };

describeStores(
  'webhook deliveries with several Managers',
  (ctx) => {
    let receiver: WebhookReceiver;
    const opened: Store[] = [];
    const services: NotificationsService[] = [];

    const manager = async (extra: Partial<NotifierOptions> = {}): Promise<{ core: CoreContext; service: NotificationsService }> => {
      const store = await ctx.db.open();
      opened.push(store);
      const core = testCore(store);
      const service = createNotifications(core, { sender: createFetchWebhookSender(), secrets: { env: { HOOK_KEY: KEY } }, notifier: { ...options, ...extra } });
      services.push(service);
      return { core, service };
    };

    beforeEach(async () => {
      await ctx.store.query('DELETE FROM aura.notification_deliveries');
      await ctx.store.query('UPDATE aura.notification_subscriptions SET removed_at = now() WHERE removed_at IS NULL');
      receiver = await startWebhookReceiver({ key: KEY });
    });
    afterEach(async () => {
      for (const s of services.splice(0)) await s.notifier.stop();
      for (const s of opened.splice(0)) await s.close();
      await receiver.close();
    });

    const subscribe = (service: NotificationsService) => service.subscribe({ name: 'ops', url: receiver.url, secretRef: 'env:HOOK_KEY', eventTypes: ['RunBlocked'] }, 'director:test');
    const blocked = (core: CoreContext, n: number) => core.events.append({ type: 'RunBlocked', actor: 'manager', runId: `run_many${String(n).padStart(10, '0')}`, payload: { deadLettered: 1, succeeded: 0, skipped: 0 } });

    it('sends each event once when two Managers fan out and deliver at the same time', async () => {
      const a = await manager();
      const b = await manager();
      await subscribe(a.service);
      for (let i = 0; i < 12; i++) await blocked(a.core, i);
      await Promise.all([a.service.notifier.drain(), b.service.notifier.drain(), a.service.notifier.drain(), b.service.notifier.drain()]);
      const hooks = await receiver.waitFor(12);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(receiver.received.length, 12);
      assert.equal(new Set(hooks.map((h) => h.headers['idempotency-key'])).size, 12);
      assert.ok(hooks.every((h) => h.signatureValid));
    });

    it('sends again, under the same key, a delivery whose Manager died holding its lease', async () => {
      const { core, service } = await manager();
      await subscribe(service);
      await blocked(core, 99);
      await service.notifier.drain();
      await receiver.waitFor(1);
      await ctx.store.query(`UPDATE aura.notification_deliveries SET status = 'pending'`);
      // The dead Manager: it claimed the delivery (a 1 ms lease) and never sent it.
      const [claimed] = await claimDeliveries(ctx.store, { owner: 'dead-manager', now: new Date(), leaseMs: 1, limit: 1 });
      assert.equal(claimed!.attempt, 2);
      await new Promise((r) => setTimeout(r, 20));
      await service.notifier.drain();
      const hooks = await receiver.waitFor(2);
      assert.equal(hooks[1]!.headers['idempotency-key'], hooks[0]!.headers['idempotency-key']);
      assert.equal(hooks[1]!.headers['x-aura-delivery-attempt'], '3');
      assert.deepEqual((await service.deliveries()).map((d) => d.status), ['delivered']);
    });

    it('delivers an event whose transaction commits after a later event was already sent', async () => {
      const { core, service } = await manager();
      await subscribe(service);
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let appended!: () => void;
      const inTx = new Promise<void>((resolve) => (appended = resolve));
      const slow = core.store.transaction(async (tx) => {
        await core.events.appendIn(tx, [{ type: 'RunBlocked', actor: 'manager', runId: 'run_slow0000000001', payload: { deadLettered: 1, succeeded: 0, skipped: 0 } }]);
        appended();
        await held;
      });
      await inTx;
      await blocked(core, 1);
      await service.notifier.drain();
      await receiver.waitFor(1);
      commit();
      await slow;
      await service.notifier.drain();
      const hooks = await receiver.waitFor(2);
      assert.deepEqual(hooks.map((h) => (h.json as { event: { runId: string } }).event.runId).sort(), ['run_many0000000001', 'run_slow0000000001']);
    });
  },
  { only: 'postgres' },
);
