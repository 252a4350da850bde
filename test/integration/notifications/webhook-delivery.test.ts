// Webhook deliveries against a real local receiver that checks signatures: signed JSON with an Idempotency-Key, retries
// with backoff, dead letters and redelivery, refusals not retried, Slack bodies, and removal cancelling what waits.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFetchWebhookSender } from '../../../adapters/notifications/fetch-webhook-sender';
import type { CoreContext } from '../../../core/core-context';
import { createNotifications, type NotificationsService } from '../../../core/notifications/notifications-service';
import { type Delivery, notifiableEventTypes } from '../../../core/notifications/subscription-schema';
import { describeStores } from '../../support/stores';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { testCore } from '../mcp/support/mcp-harness';

const KEY = 'whsec-test-0123456789abcdef';
const env = { AURA_TEST_WEBHOOK_KEY: KEY };
let taskSeq = 0;

/** A dead-lettered task in its run's stream, the way the Manager records one. */
async function deadLetter(core: CoreContext, runId = 'run_notify00000001') {
  return core.events.append({ type: 'TaskDeadLettered', actor: 'manager', runId, taskId: `task_notify${++taskSeq}`, payload: { attempts: 3, reason: 'acceptance failed' } });
}

/** Drains until `done` holds (deliveries wait out their backoff between passes). */
async function drainUntil(service: NotificationsService, done: (deliveries: Delivery[]) => boolean, timeoutMs = 10_000): Promise<Delivery[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await service.notifier.drain();
    const deliveries = await service.deliveries();
    if (done(deliveries)) return deliveries;
    if (Date.now() > deadline) throw new Error(`deliveries did not settle: ${JSON.stringify(deliveries.map((d) => [d.id, d.status, d.attempts, d.lastError]))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeStores('webhook deliveries', (ctx) => {
  let core: CoreContext;
  let service: NotificationsService;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    await ctx.store.query('DELETE FROM aura.notification_deliveries');
    await ctx.store.query('UPDATE aura.notification_subscriptions SET removed_at = now() WHERE removed_at IS NULL');
    core = testCore(ctx.store);
    receiver = await startWebhookReceiver({ key: KEY });
    service = createNotifications(core, {
      sender: createFetchWebhookSender(),
      secrets: { env },
      notifier: { timeoutMs: 2_000, rules: { maxAttempts: 3, backoffMs: [30, 60], maxRetryAfterMs: 100 } },
    });
  });
  afterEach(async () => {
    await service.notifier.stop();
    await receiver.close();
  });

  const subscribe = (extra: Record<string, unknown> = {}) =>
    service.subscribe({ name: 'ops', url: receiver.url, secretRef: 'env:AURA_TEST_WEBHOOK_KEY', eventTypes: ['TaskDeadLettered'], ...extra }, 'director:test');

  it('sends a subscribed event as signed JSON with an Idempotency-Key, and records it delivered', async () => {
    const subscription = await subscribe();
    const event = await deadLetter(core);
    const [delivery] = await drainUntil(service, (d) => d[0]?.status === 'delivered');
    const [hook] = await receiver.waitFor(1);
    assert.equal(hook!.signatureValid, true);
    assert.equal(hook!.headers['idempotency-key'], `${subscription.id}.${event.id}`);
    assert.equal(hook!.headers['x-aura-event'], 'TaskDeadLettered');
    const body = hook!.json as { id: string; type: string; summary: string; event: { id: number; taskId: string; payload: unknown } };
    assert.equal(body.id, `${subscription.id}.${event.id}`);
    assert.equal(body.event.id, event.id);
    assert.equal(body.event.taskId, event.taskId);
    assert.deepEqual(body.event.payload, { attempts: 3, reason: 'acceptance failed' });
    assert.match(body.summary, /dead-lettered in run run_notify00000001 after 3 attempt\(s\): acceptance failed/);
    assert.deepEqual([delivery!.attempts, delivery!.lastStatus, delivery!.idempotencyKey], [1, 200, `${subscription.id}.${event.id}`]);
    const recorded = await core.events.query({ stream: 'notifications', types: ['NotificationDelivered'] });
    assert.deepEqual(recorded.at(-1)!.payload, { deliveryId: delivery!.id, subscriptionId: subscription.id, eventId: event.id, eventType: 'TaskDeadLettered', attempt: 1, status: 200 });
  });

  it('sends nothing for events of other types, of other runs, or committed before the subscription', async () => {
    await deadLetter(core, 'run_before00000001');
    await subscribe({ runId: 'run_watched0000001' });
    await deadLetter(core, 'run_other000000001');
    await core.events.append({ type: 'RunPaused', actor: 'director:test', runId: 'run_watched0000001', payload: { reason: 'not notifiable' } });
    await deadLetter(core, 'run_watched0000001');
    const deliveries = await drainUntil(service, (d) => d.length > 0 && d.every((x) => x.status === 'delivered'));
    assert.deepEqual(deliveries.map((d) => d.runId), ['run_watched0000001']);
    assert.equal(receiver.received.length, 1);
  });

  it('retries a receiver that fails twice, with the same key and a valid signature each time, until it takes it', async () => {
    receiver.script([500, 503]);
    await subscribe();
    await deadLetter(core);
    const [delivery] = await drainUntil(service, (d) => d[0]?.status === 'delivered');
    const hooks = await receiver.waitFor(3);
    assert.deepEqual(hooks.map((h) => h.answered), [500, 503, 200]);
    assert.ok(hooks.every((h) => h.signatureValid));
    assert.equal(new Set(hooks.map((h) => h.headers['idempotency-key'])).size, 1);
    assert.deepEqual(hooks.map((h) => h.headers['x-aura-delivery-attempt']), ['1', '2', '3']);
    assert.equal(delivery!.attempts, 3);
    const failed = await core.events.query({ stream: 'notifications', types: ['NotificationFailed'] });
    assert.deepEqual(failed.filter((e) => (e.payload as { deliveryId: number }).deliveryId === delivery!.id).map((e) => (e.payload as { status: number }).status), [500, 503]);
  });

  it('dead-letters a delivery whose receiver always fails, and sends it again on redeliver', async () => {
    receiver.script([], 500);
    await subscribe();
    await deadLetter(core);
    const [dead] = await drainUntil(service, (d) => d[0]?.status === 'dead_letter');
    assert.equal(dead!.attempts, 3);
    assert.match(dead!.lastError!, /the receiver answered 500: receiver says no \(500\) \(after 3 attempts\)/);
    assert.deepEqual((await service.deliveries({ status: 'dead_letter' })).map((d) => d.id), [dead!.id]);
    receiver.script([], 200);
    await service.redeliver(dead!.id, 'director:test');
    const [again] = await drainUntil(service, (d) => d[0]?.status === 'delivered');
    assert.equal(again!.attempts, 1);
    assert.equal(receiver.received.length, 4);
    assert.equal(receiver.received[3]!.headers['idempotency-key'], receiver.received[0]!.headers['idempotency-key']);
    const types = (await core.events.query({ stream: 'notifications' })).map((e) => e.type);
    assert.ok(types.includes('NotificationDeadLettered') && types.includes('NotificationRedelivered'));
  });

  it('dead-letters at once a delivery the receiver refuses as such (401), without retrying', async () => {
    receiver.script([401]);
    await subscribe();
    await deadLetter(core);
    const [dead] = await drainUntil(service, (d) => d[0]?.status === 'dead_letter');
    assert.equal(dead!.attempts, 1);
    assert.match(dead!.lastError!, /answered 401.*refused; not retried/);
  });

  it('retries a receiver that cannot be reached, naming why', async () => {
    const closed = await startWebhookReceiver({ key: KEY });
    await closed.close();
    await service.subscribe({ name: 'gone', url: closed.url, secretRef: 'env:AURA_TEST_WEBHOOK_KEY', eventTypes: ['TaskDeadLettered'] }, 'director:test');
    await deadLetter(core);
    const [dead] = await drainUntil(service, (d) => d[0]?.status === 'dead_letter');
    assert.match(dead!.lastError!, /The receiver could not be reached: ECONNREFUSED/);
    assert.equal(dead!.lastStatus, null);
  });

  it('posts a Slack incoming-webhook message to an address read from a reference', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aura-slack-')), 'slack-url');
    fs.writeFileSync(file, `${receiver.url}/T000/B000/slacksecretpath\n`, { mode: 0o600 });
    const subscription = await service.subscribe({ name: 'slack', format: 'slack', urlRef: `file:${file}`, eventTypes: ['TaskDeadLettered'] }, 'director:test');
    assert.equal(subscription.target, `file:${file}`);
    await deadLetter(core);
    await drainUntil(service, (d) => d[0]?.status === 'delivered');
    const [hook] = await receiver.waitFor(1);
    assert.equal(hook!.path, '/hooks/aura/T000/B000/slacksecretpath');
    const body = hook!.json as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string } }> };
    assert.match(body.text, /^Task task_notify\d+ dead-lettered/);
    assert.deepEqual(body.blocks.map((b) => b.type), ['section', 'context']);
    assert.match(body.blocks[0]!.text!.text, /^\*TaskDeadLettered\*\n/);
    const subscribed = (await core.events.query({ stream: 'notifications', types: ['NotificationSubscribed'] })).at(-1)!;
    assert.doesNotMatch(JSON.stringify(subscribed.payload), /slacksecretpath/);
  });

  it('cancels the deliveries still waiting when a subscription is removed, and sends nothing more', async () => {
    receiver.script([], 500);
    const subscription = await subscribe();
    await deadLetter(core);
    await drainUntil(service, (d) => d[0]?.status === 'pending' && d[0].attempts === 1);
    await service.unsubscribe(subscription.id, 'director:test');
    await deadLetter(core);
    await new Promise((r) => setTimeout(r, 100));
    await service.notifier.drain();
    assert.deepEqual((await service.deliveries()).map((d) => d.status), ['cancelled']);
    assert.equal(receiver.received.length, 1);
  });

  it('adds deliveries in the database for exactly the event types the product lists as notifiable', async () => {
    const { rows } = await ctx.store.query<{ def: string }>(`SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgname = 'events_enqueue_notifications'`);
    const listed = [...rows[0]!.def.matchAll(/'([A-Za-z]+)'::text/g)].map((m) => m[1]);
    assert.deepEqual(listed.sort(), [...notifiableEventTypes].sort());
  });

  it('refuses a JSON webhook without a signing key, and a key reference that does not resolve, naming the setting', async () => {
    await assert.rejects(service.subscribe({ name: 'x', url: receiver.url, eventTypes: ['RunBlocked'] }, 'director:test'), /secretRef: a json webhook needs secretRef/);
    await assert.rejects(
      service.subscribe({ name: 'x', url: receiver.url, secretRef: 'env:AURA_NO_SUCH_KEY', eventTypes: ['RunBlocked'] }, 'director:test'),
      /secretRef env:AURA_NO_SUCH_KEY: the server's environment has no AURA_NO_SUCH_KEY/,
    );
    await assert.rejects(service.subscribe({ name: 'x', url: 'ftp://example.com/x', secretRef: 'env:AURA_TEST_WEBHOOK_KEY', eventTypes: ['RunBlocked'] }, 'director:test'), /http:\/\/ or https:\/\//);
    assert.deepEqual(await service.list(), []);
  });
});
