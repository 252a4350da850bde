// One attempt of a delivery: the signed request built, sent through the WebhookSender, and its answer judged.
import { toAuraError } from '../domain/errors';
import { resolveSecretRef, type Secret, type SecretSources } from '../workforce/secret-ref';
import { retryDelayMs } from '../queue/backoff';
import type { ClaimedDelivery } from './claim-deliveries';
import type { AttemptOutcome } from './record-delivery';
import { idempotencyKeyOf } from './subscription-schema';
import { webhookBody } from './webhook-body';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';
import type { WebhookSender } from './webhook-sender';

export interface RetryRules {
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  /** Wait after the n-th failed attempt; past its end the last step doubles. */
  backoffMs: readonly number[];
  /** The longest wait a receiver's Retry-After is honoured up to. */
  maxRetryAfterMs: number;
}

export const defaultRetryRules: RetryRules = { maxAttempts: 6, backoffMs: [5_000, 30_000, 120_000, 600_000, 1_800_000], maxRetryAfterMs: 3_600_000 };

/** 4xx answers a retry cannot change (the receiver refused this request as such); the others may pass later. */
const retryable4xx = new Set([408, 409, 425, 429]);

export async function sendDelivery(claimed: ClaimedDelivery, deps: { sender: WebhookSender; now: () => Date; rules: RetryRules; timeoutMs: number; secrets?: SecretSources }): Promise<AttemptOutcome> {
  const { rules } = deps;
  const fail = (status: number | null, error: string, retryAfterMs = 0): AttemptOutcome => {
    if (claimed.attempt >= rules.maxAttempts) return { kind: 'dead', status, error: `${error} (after ${claimed.attempt} attempts)` };
    const wait = Math.max(retryDelayMs(claimed.attempt, rules.backoffMs), Math.min(retryAfterMs, rules.maxRetryAfterMs));
    return { kind: 'retry', status, error, retryAt: new Date(deps.now().getTime() + wait) };
  };
  if (!claimed.event) return { kind: 'dead', status: null, error: `event ${claimed.eventId} is no longer in the log (removed by a retention cleanup)` };
  let urlSecret: Secret | undefined;
  let key: string | undefined;
  try {
    urlSecret = claimed.subscription.urlRef ? resolveSecretRef(claimed.subscription.urlRef, deps.secrets, 'urlRef') : undefined;
    key = claimed.subscription.secretRef ? resolveSecretRef(claimed.subscription.secretRef, deps.secrets, 'secretRef').reveal() : undefined;
  } catch (error) {
    // A reference that stopped resolving (a secret file removed) may be put right: retried like an unreachable receiver.
    return fail(null, toAuraError(error).message);
  }
  const url = urlSecret?.reveal() ?? claimed.subscription.url!;
  // An address read from a reference is a secret (Slack's carries its token): no error text may show it.
  const scrub = (text: string) => (urlSecret ? urlSecret.scrub(text) : text);
  const idempotencyKey = idempotencyKeyOf(claimed.subscription.id, claimed.eventId);
  const body = webhookBody(claimed.subscription.format, claimed.event, { idempotencyKey, subscriptionId: claimed.subscription.id });
  const timestamp = Math.floor(deps.now().getTime() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'aura-orchestra-notifier',
    'idempotency-key': idempotencyKey,
    'x-aura-event': claimed.event.type,
    'x-aura-delivery-attempt': String(claimed.attempt),
    [TIMESTAMP_HEADER]: String(timestamp),
  };
  if (key !== undefined) headers[SIGNATURE_HEADER] = signWebhook(key, timestamp, body);
  try {
    const answer = await deps.sender.send({ url, headers, body, timeoutMs: deps.timeoutMs });
    if (answer.status >= 200 && answer.status < 300) return { kind: 'delivered', status: answer.status };
    const said = scrub(answer.excerpt.trim().slice(0, 200));
    const error = `the receiver answered ${answer.status}${said ? `: ${said}` : ''}`;
    if (answer.status >= 400 && answer.status < 500 && !retryable4xx.has(answer.status)) return { kind: 'dead', status: answer.status, error: `${error} (refused; not retried)` };
    return fail(answer.status, error, retryAfterMs(answer.retryAfter, deps.now()));
  } catch (error) {
    return fail(null, scrub(toAuraError(error).message));
  }
}

function retryAfterMs(header: string | null, now: Date): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now.getTime());
}
