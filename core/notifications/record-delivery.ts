// Records what one attempt of a delivery came to (delivered, to be retried, dead-lettered) and its event, together.
import type { EventLog, NewEvent } from '../events/event-log';
import type { Store } from '../store/store';
import type { ClaimedDelivery } from './claim-deliveries';
import { NOTIFICATIONS_STREAM } from './subscription-schema';

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; error: string; retryAt: Date }
  | { kind: 'dead'; status: number | null; error: string };

/**
 * Applies only while this Manager still holds the delivery's lease: one whose lease ran out and was claimed again
 * by another has a newer attempt, whose outcome is the one that counts. Returns whether it applied.
 */
export async function recordDelivery(deps: { store: Store; events: EventLog }, claimed: ClaimedDelivery, owner: string, outcome: AttemptOutcome, now: Date): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    const status = outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'pending' : 'dead_letter';
    const updated = await tx.query(
      `UPDATE aura.notification_deliveries
          SET status = $3, lease_owner = NULL, lease_until = NULL, last_status = $4, last_error = $5,
              next_attempt_at = COALESCE($6, next_attempt_at), delivered_at = CASE WHEN $3 = 'delivered' THEN $7::timestamptz ELSE NULL END
        WHERE id = $1 AND lease_owner = $2 AND status = 'sending' AND attempts = $8`,
      [claimed.id, owner, status, outcome.status, outcome.kind === 'delivered' ? null : outcome.error, outcome.kind === 'retry' ? outcome.retryAt.toISOString() : null, now.toISOString(), claimed.attempt],
    );
    if (updated.rowCount === 0) return false;
    const base = { deliveryId: claimed.id, subscriptionId: claimed.subscription.id, eventId: claimed.eventId, eventType: claimed.eventType };
    const event: NewEvent =
      outcome.kind === 'delivered'
        ? { type: 'NotificationDelivered', actor: 'notifier', stream: NOTIFICATIONS_STREAM, payload: { ...base, attempt: claimed.attempt, status: outcome.status } }
        : outcome.kind === 'retry'
          ? { type: 'NotificationFailed', actor: 'notifier', stream: NOTIFICATIONS_STREAM, payload: { ...base, attempt: claimed.attempt, status: outcome.status, error: outcome.error, retryAt: outcome.retryAt.toISOString() } }
          : { type: 'NotificationDeadLettered', actor: 'notifier', stream: NOTIFICATIONS_STREAM, payload: { ...base, attempts: claimed.attempt, error: outcome.error } };
    const events: NewEvent[] =
      outcome.kind === 'dead'
        ? [{ type: 'NotificationFailed', actor: 'notifier', stream: NOTIFICATIONS_STREAM, payload: { ...base, attempt: claimed.attempt, status: outcome.status, error: outcome.error, retryAt: null } }, event]
        : [event];
    await deps.events.appendIn(tx, events);
    return true;
  });
}
