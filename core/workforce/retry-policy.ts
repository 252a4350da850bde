// How a model call is retried: bounded attempts, exponential backoff with jitter, and the server's Retry-After honoured.
import { z } from 'zod';

export const retryPolicySchema = z.object({
  /** Attempts in all, the first included (1 = never retry). */
  maxAttempts: z.number().int().min(1).max(10),
  /** Delay before the first retry; doubles each retry. */
  baseDelayMs: z.number().int().min(0).max(60_000),
  /** Cap on the backoff delay. */
  maxDelayMs: z.number().int().min(0).max(300_000),
  /** The longest Retry-After the caller will wait; a server asking for longer ends the retries. */
  maxRetryAfterMs: z.number().int().min(0).max(3_600_000),
});

export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
});

/** Fills a partial policy from the defaults and validates it (a bad value names its field). */
export function retryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  return Object.freeze(retryPolicySchema.parse({ ...defaultRetryPolicy, ...partial }));
}

/**
 * The wait before retry number `retry` (1 = the first retry): "equal jitter" backoff, half fixed and
 * half random, so clients that failed together do not retry together and the wait is never zero.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

/**
 * The delay a server asked for, in ms: `retry-after-ms` (OpenAI's), else `Retry-After` as seconds or as
 * an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now: Date = new Date()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: 'not_retryable' | 'attempts_exhausted' | 'retry_after_too_long' | 'past_deadline' };

/**
 * Whether to try again after failed attempt number `attempt` (1-based). The server's Retry-After wins
 * over backoff when given; the wait must also end before the caller's deadline.
 */
export function decideRetry(input: {
  attempt: number;
  retryable: boolean;
  retryAfterMs?: number;
  remainingMs: number;
  policy: RetryPolicy;
  random?: () => number;
}): RetryDecision {
  if (!input.retryable) return { retry: false, why: 'not_retryable' };
  if (input.attempt >= input.policy.maxAttempts) return { retry: false, why: 'attempts_exhausted' };
  if (input.retryAfterMs !== undefined && input.retryAfterMs > input.policy.maxRetryAfterMs) return { retry: false, why: 'retry_after_too_long' };
  const delayMs = input.retryAfterMs ?? backoffDelayMs(input.attempt, input.policy, input.random);
  if (delayMs >= input.remainingMs) return { retry: false, why: 'past_deadline' };
  return { retry: true, delayMs };
}
