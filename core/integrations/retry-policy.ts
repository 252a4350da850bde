// Retries of one external call: exponential backoff with full jitter on retryable failures, honouring Retry-After.
import { toAuraError } from '../domain/errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The cap of the first wait; each further one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails with the system's answer. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

/**
 * The wait before attempt `failed + 1`: full jitter over [0, min(max, base·2^(failed-1))], but never less than the
 * system's Retry-After (the system said when; waiting less only earns another 429).
 */
export function backoffDelayMs(failed: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failed - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}

export interface RetryHooks {
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told before each wait (the call's events record it). */
  onRetry?: (info: { attempt: number; waitMs: number; error: Error }) => Promise<void> | void;
}

export interface RetriedOutcome<T> {
  value: T;
  attempts: number;
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or runs out of attempts; the last error is thrown. */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<RetriedOutcome<T>> {
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      const aura = toAuraError(error);
      const retryAfterMs = typeof aura.details?.retryAfterMs === 'number' ? aura.details.retryAfterMs : undefined;
      if (!aura.retryable || n >= policy.maxAttempts || (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs)) {
        Object.defineProperty(error as object, 'attempts', { value: n, enumerable: false, configurable: true });
        throw error;
      }
      const waitMs = backoffDelayMs(n, policy, retryAfterMs, hooks.random);
      await hooks.onRetry?.({ attempt: n, waitMs, error: aura });
      await hooks.sleep(waitMs);
    }
  }
}

/** How many attempts a failed withRetries made (1 when the error did not come through it). */
export function attemptsOf(error: unknown): number {
  const n = (error as { attempts?: unknown } | null)?.attempts;
  return typeof n === 'number' ? n : 1;
}
