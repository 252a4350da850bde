// The notifier: sends the deliveries that are due, in any Manager (an event's NOTIFY wakes it, a poll backs it up).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import type { SecretSources } from '../workforce/secret-ref';
import { claimDeliveries } from './claim-deliveries';
import { recordDelivery } from './record-delivery';
import { defaultRetryRules, type RetryRules, sendDelivery } from './send-delivery';
import type { WebhookSender } from './webhook-sender';
import { createWokenDrain } from '../events/woken-drain';

export interface NotifierOptions {
  pollMs: number;
  /** How long a claimed delivery is this Manager's before another may send it again. */
  leaseMs: number;
  /** Deliveries sent at once. */
  batch: number;
  timeoutMs: number;
  rules: RetryRules;
}

export const defaultNotifierOptions: NotifierOptions = { pollMs: 1_000, leaseMs: 60_000, batch: 16, timeoutMs: 10_000, rules: defaultRetryRules };

export interface NotifierDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  logger: Logger;
  sender: WebhookSender;
  secrets?: SecretSources;
  options?: Partial<NotifierOptions>;
}

export interface Notifier {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends every delivery due now; returns how many attempts it made. */
  drain(): Promise<number>;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const options = { ...defaultNotifierOptions, ...deps.options };
  const { store, logger } = deps;
  const now = () => deps.clock.now();
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  async function sendDue(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const claimed = await claimDeliveries(store, { owner, now: now(), leaseMs: options.leaseMs, limit: options.batch });
      // Invariant: a claimed delivery gets an outcome recorded, or its lease runs out and it is sent again.
      const settled = await Promise.allSettled(
        claimed.map(async (delivery) => {
          const outcome = await sendDelivery(delivery, { sender: deps.sender, now, rules: options.rules, timeoutMs: options.timeoutMs, secrets: deps.secrets });
          const applied = await recordDelivery(deps, delivery, owner, outcome, now());
          if (outcome.kind !== 'delivered') logger.warn({ deliveryId: delivery.id, subscriptionId: delivery.subscription.id, attempt: delivery.attempt, outcome: outcome.kind, err: outcome.error }, 'notification not delivered');
          if (!applied) logger.warn({ deliveryId: delivery.id }, 'notification outcome dropped: the lease had passed to another Manager');
        }),
      );
      for (const result of settled) {
        if (result.status === 'rejected') logger.error({ err: toAuraError(result.reason).message }, 'a delivery outcome could not be recorded; it is sent again when its lease runs out');
      }
      attempts += claimed.length;
      if (claimed.length < options.batch) return attempts;
    }
  }

  const { drain, start, stop } = createWokenDrain({ store, logger, pollMs: options.pollMs, pass: sendDue, failure: 'notifier pass failed; the next poll tries again' });
  return { drain, start, stop };
}
