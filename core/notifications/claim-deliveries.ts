// Claims due deliveries for one Manager (FOR UPDATE SKIP LOCKED, under a lease), with their subscription and event.
import { type EventRow, eventColumns, toStoredEvent, type StoredEvent } from '../events/stored-event';
import type { Store } from '../store/store';
import type { NotificationFormat } from './subscription-schema';

export interface ClaimedDelivery {
  id: number;
  /** This attempt's number (1-based). */
  attempt: number;
  eventId: number;
  eventType: string;
  subscription: { id: string; format: NotificationFormat; url: string | null; urlRef: string | null; secretRef: string | null };
  /** Null when the event is gone from the log (the Director's retention cleanup removed it). */
  event: StoredEvent | null;
}

interface ClaimRow extends EventRow {
  delivery_id: string;
  attempts: number;
  delivery_event_id: string;
  event_type: string;
  subscription_id: string;
  format: NotificationFormat;
  url: string | null;
  url_ref: string | null;
  secret_ref: string | null;
}

/**
 * Due: pending and past their next attempt, or sending under a lease that ran out (its Manager died mid-send, so the
 * receiver may get it twice: the Idempotency-Key is the same).
 */
export async function claimDeliveries(store: Store, options: { owner: string; now: Date; leaseMs: number; limit: number }): Promise<ClaimedDelivery[]> {
  const { rows } = await store.query<ClaimRow>(
    `WITH due AS (
       SELECT id FROM aura.notification_deliveries
        WHERE (status = 'pending' AND next_attempt_at <= $2) OR (status = 'sending' AND lease_until < $2)
        ORDER BY next_attempt_at, id
        LIMIT $4
        FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE aura.notification_deliveries d
          SET status = 'sending', attempts = d.attempts + 1, lease_owner = $1, lease_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000)
         FROM due WHERE d.id = due.id
       RETURNING d.id, d.attempts, d.subscription_id, d.event_id, d.event_type)
     SELECT c.id AS delivery_id, c.attempts, c.event_id AS delivery_event_id, c.event_type, c.subscription_id, s.format, s.url, s.url_ref, s.secret_ref, ${eventColumns.split(', ').map((c) => `e.${c}`).join(', ')}
       FROM claimed c
       JOIN aura.notification_subscriptions s ON s.id = c.subscription_id
       LEFT JOIN aura.events e ON e.id = c.event_id
      ORDER BY c.id`,
    [options.owner, options.now.toISOString(), options.leaseMs, options.limit],
  );
  return rows.map((row) => ({
    id: Number(row.delivery_id),
    attempt: Number(row.attempts),
    eventId: Number(row.delivery_event_id),
    eventType: row.event_type,
    subscription: { id: row.subscription_id, format: row.format, url: row.url, urlRef: row.url_ref, secretRef: row.secret_ref },
    event: row.id == null ? null : toStoredEvent(row),
  }));
}
