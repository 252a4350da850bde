// Webhook subscriptions: created (their references checked now), listed, and removed with their pending deliveries.
import { AuraError, describeIssues } from '../domain/errors';
import type { Clock } from '../domain/clock';
import { newId } from '../domain/ids';
import type { EventLog } from '../events/event-log';
import type { Store } from '../store/store';
import { resolveSecretRef, type SecretSources } from '../workforce/secret-ref';
import { NOTIFICATIONS_STREAM, type NotifiableEventType, type NotificationFormat, type SubscribeInput, subscribeInputSchema, type Subscription, targetOf } from './subscription-schema';

export interface SubscriptionRow {
  id: string;
  name: string;
  format: NotificationFormat;
  url: string | null;
  url_ref: string | null;
  secret_ref: string | null;
  event_types: string[];
  run_id: string | null;
  created_by: string;
  created_at: Date;
  removed_at: Date | null;
}

export const subscriptionColumns = 'id, name, format, url, url_ref, secret_ref, event_types, run_id, created_by, created_at, removed_at';

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    target: targetOf(row),
    secretRef: row.secret_ref,
    eventTypes: row.event_types as NotifiableEventType[],
    runId: row.run_id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    removedAt: row.removed_at?.toISOString() ?? null,
  };
}

export interface SubscriptionDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  secrets?: SecretSources;
}

export async function createSubscription(deps: SubscriptionDeps, input: SubscribeInput, actor: string): Promise<Subscription> {
  const parsed = subscribeInputSchema.safeParse(input);
  if (!parsed.success) throw new AuraError('invalid_input', `Subscription refused: ${describeIssues(parsed.error.issues)}`);
  const s = parsed.data;
  // A reference that cannot be read now would only fail at the first delivery; say so to the Director instead.
  if (s.urlRef) {
    const url = resolveSecretRef(s.urlRef, deps.secrets, 'urlRef').reveal();
    if (!/^https?:\/\//.test(url)) throw new AuraError('invalid_input', `urlRef ${s.urlRef} holds no http:// or https:// address.`);
  }
  if (s.secretRef) resolveSecretRef(s.secretRef, deps.secrets, 'secretRef');
  const id = newId('ntf', deps.clock.now());
  return deps.store.transaction(async (tx) => {
    // Events appended once this commits get their deliveries from the trigger on aura.events (migration 100).
    const inserted = await tx.query<SubscriptionRow>(
      `INSERT INTO aura.notification_subscriptions (id, name, format, url, url_ref, secret_ref, event_types, run_id, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10)
       RETURNING ${subscriptionColumns}`,
      [id, s.name, s.format, s.url ?? null, s.urlRef ?? null, s.secretRef ?? null, [...new Set(s.eventTypes)], s.runId ?? null, actor, deps.clock.now().toISOString()],
    );
    const subscription = toSubscription(inserted.rows[0]!);
    await deps.events.appendIn(tx, [
      {
        type: 'NotificationSubscribed',
        actor,
        stream: NOTIFICATIONS_STREAM,
        payload: { subscriptionId: id, name: s.name, format: s.format, target: subscription.target, eventTypes: subscription.eventTypes, runId: subscription.runId, secretRef: subscription.secretRef },
      },
    ]);
    return subscription;
  });
}

export async function listSubscriptions(store: Store, options: { includeRemoved?: boolean } = {}): Promise<Subscription[]> {
  const rows = await store.query<SubscriptionRow>(
    `SELECT ${subscriptionColumns} FROM aura.notification_subscriptions ${options.includeRemoved ? '' : 'WHERE removed_at IS NULL'} ORDER BY created_at, id`,
  );
  return rows.rows.map(toSubscription);
}

/** Removes a subscription: nothing more is sent to it; deliveries still waiting are cancelled, dead letters kept. */
export async function removeSubscription(deps: SubscriptionDeps, subscriptionId: string, actor: string): Promise<Subscription> {
  return deps.store.transaction(async (tx) => {
    const found = await tx.query<SubscriptionRow>(`SELECT ${subscriptionColumns} FROM aura.notification_subscriptions WHERE id = $1 FOR NO KEY UPDATE`, [subscriptionId]);
    // (NO KEY: appends adding deliveries hold KEY SHARE on the row through the foreign key, and need not wait.)
    const row = found.rows[0];
    if (!row) throw new AuraError('not_found', `No notification subscription ${subscriptionId}.`);
    if (row.removed_at) throw new AuraError('conflict', `Subscription ${subscriptionId} was already removed at ${row.removed_at.toISOString()}.`);
    const now = deps.clock.now().toISOString();
    const removed = await tx.query<SubscriptionRow>(`UPDATE aura.notification_subscriptions SET removed_at = $2 WHERE id = $1 RETURNING ${subscriptionColumns}`, [subscriptionId, now]);
    // A delivery being sent right now keeps its lease; its outcome is still recorded when it lands.
    const cancelled = await tx.query(`UPDATE aura.notification_deliveries SET status = 'cancelled' WHERE subscription_id = $1 AND status = 'pending'`, [subscriptionId]);
    await deps.events.appendIn(tx, [
      { type: 'NotificationUnsubscribed', actor, stream: NOTIFICATIONS_STREAM, payload: { subscriptionId, cancelledDeliveries: cancelled.rowCount } },
    ]);
    return toSubscription(removed.rows[0]!);
  });
}
