// The Director's view of deliveries (the dead-letter list among them) and the redelivery of a dead letter.
import { AuraError } from '../domain/errors';
import type { Clock } from '../domain/clock';
import type { EventLog } from '../events/event-log';
import type { Store } from '../store/store';
import { type Delivery, type DeliveryStatus, idempotencyKeyOf, NOTIFICATIONS_STREAM } from './subscription-schema';

interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  run_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

const columns = 'id, subscription_id, event_id, event_type, run_id, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at';

function toDelivery(row: DeliveryRow): Delivery {
  const eventId = Number(row.event_id);
  return {
    id: Number(row.id),
    subscriptionId: row.subscription_id,
    eventId,
    eventType: row.event_type,
    runId: row.run_id,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at.toISOString(),
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    idempotencyKey: idempotencyKeyOf(row.subscription_id, eventId),
  };
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  subscriptionId?: string;
  runId?: string;
  limit?: number;
}

/** Newest first. */
export async function listDeliveries(store: Store, filter: DeliveryFilter = {}): Promise<Delivery[]> {
  // A filter naming something that does not exist is a mistake to point out, not an empty list.
  if (filter.subscriptionId && !(await store.query(`SELECT 1 FROM aura.notification_subscriptions WHERE id = $1`, [filter.subscriptionId])).rowCount) {
    throw new AuraError('not_found', `No notification subscription ${filter.subscriptionId}.`);
  }
  if (filter.runId && !(await store.query(`SELECT 1 FROM aura.runs WHERE id = $1`, [filter.runId])).rowCount) throw new AuraError('not_found', `No run with id "${filter.runId}".`);
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [['status', filter.status], ['subscription_id', filter.subscriptionId], ['run_id', filter.runId]] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  params.push(Math.min(Math.max(filter.limit ?? 50, 1), 500));
  const rows = await store.query<DeliveryRow>(
    `SELECT ${columns} FROM aura.notification_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.rows.map(toDelivery);
}

/** Sends a dead letter again from its first attempt (same Idempotency-Key); its subscription must still exist. */
export async function redeliver(deps: { store: Store; events: EventLog; clock: Clock }, deliveryId: number, actor: string): Promise<Delivery> {
  return deps.store.transaction(async (tx) => {
    const found = await tx.query<DeliveryRow & { removed_at: Date | null }>(
      `SELECT d.${columns.split(', ').join(', d.')}, s.removed_at
         FROM aura.notification_deliveries d JOIN aura.notification_subscriptions s ON s.id = d.subscription_id
        WHERE d.id = $1 FOR UPDATE OF d`,
      [deliveryId],
    );
    const row = found.rows[0];
    if (!row) throw new AuraError('not_found', `No notification delivery ${deliveryId}.`);
    if (row.status !== 'dead_letter') throw new AuraError('conflict', `Delivery ${deliveryId} is ${row.status}; only a dead letter can be redelivered.`);
    if (row.removed_at) throw new AuraError('conflict', `Delivery ${deliveryId}'s subscription ${row.subscription_id} was removed; subscribe again instead.`);
    const updated = await tx.query<DeliveryRow>(
      `UPDATE aura.notification_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL, last_status = NULL WHERE id = $1 RETURNING ${columns}`,
      [deliveryId, deps.clock.now().toISOString()],
    );
    await deps.events.appendIn(tx, [
      { type: 'NotificationRedelivered', actor, stream: NOTIFICATIONS_STREAM, payload: { deliveryId, subscriptionId: row.subscription_id, eventId: Number(row.event_id), eventType: row.event_type } },
    ]);
    return toDelivery(updated.rows[0]!);
  });
}
