// Signs a webhook body (HMAC-SHA256 over "timestamp.body" with the subscription's key) and checks a signature.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-aura-signature';
export const TIMESTAMP_HEADER = 'x-aura-timestamp';

/**
 * `sha256=<hex>` of HMAC-SHA256(key, `${timestamp}.${body}`). The timestamp (unix seconds, sent in its own header)
 * is signed with the body so a captured request cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(key: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute the signature and compare in constant time, refusing stale timestamps. */
export function verifyWebhook(key: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, options: { nowS?: number; toleranceS?: number } = {}): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || !headers.signature) return false;
  const now = options.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceS ?? 300)) return false;
  const expected = Buffer.from(signWebhook(key, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
