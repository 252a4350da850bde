// Per-connector rate limits: a token bucket kept in one database row, so every Manager on the database shares it.
import type { Store } from '../store/store';

export interface RateLimit {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** The bucket's size: calls that may go at once after a quiet spell. */
  burst: number;
}

/**
 * Takes one token now if the bucket holds one; otherwise returns how long until it will. One UPDATE refills by the
 * time passed since `refilled_at` (by the caller's clock) and takes the token, under the row lock: two Managers can
 * never both take the last one.
 */
export async function takeToken(store: Store, connectorId: string, limit: RateLimit, now: Date): Promise<{ taken: true } | { taken: false; waitMs: number }> {
  const at = now.toISOString();
  await store.query(
    `INSERT INTO aura.integration_rate_buckets (connector_id, tokens, refilled_at) VALUES ($1, $2, $3) ON CONFLICT (connector_id) DO NOTHING`,
    [connectorId, limit.burst, at],
  );
  const { rows } = await store.query<{ tokens: number; taken: boolean }>(
    `WITH refill AS (
       SELECT LEAST($2::double precision,
                    tokens + GREATEST(0, EXTRACT(EPOCH FROM ($4::timestamptz - refilled_at))) * $3::double precision) AS level
         FROM aura.integration_rate_buckets WHERE connector_id = $1 FOR UPDATE)
     UPDATE aura.integration_rate_buckets b
        SET tokens = CASE WHEN r.level >= 1 THEN r.level - 1 ELSE r.level END,
            refilled_at = GREATEST(b.refilled_at, $4::timestamptz)
       FROM refill r
      WHERE b.connector_id = $1
  RETURNING b.tokens::double precision AS tokens, (r.level >= 1) AS taken`,
    [connectorId, limit.burst, limit.ratePerSecond, at],
  );
  const row = rows[0]!;
  if (row.taken) return { taken: true };
  return { taken: false, waitMs: Math.max(1, Math.ceil(((1 - Number(row.tokens)) / limit.ratePerSecond) * 1000)) };
}

/** Waits (by `sleep`) until a token is taken; returns how long it waited in all. */
export async function acquireToken(store: Store, connectorId: string, limit: RateLimit, deps: { now: () => Date; sleep: (ms: number) => Promise<void> }): Promise<number> {
  let waited = 0;
  for (;;) {
    const result = await takeToken(store, connectorId, limit, deps.now());
    if (result.taken) return waited;
    await deps.sleep(result.waitMs);
    waited += result.waitMs;
  }
}
