// Signs a webhook body: HMAC-SHA256 over "timestamp.body" with the subscription's key (docs/notifications.md shows a check).
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-aura-signature';
export const TIMESTAMP_HEADER = 'x-aura-timestamp';

/**
 * `sha256=<hex>` of HMAC-SHA256(key, `${timestamp}.${body}`). The timestamp (unix seconds, sent in its own header)
 * is signed with the body so a captured request cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(key: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
}
