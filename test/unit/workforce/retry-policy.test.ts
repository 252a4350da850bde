// The retry policy: backoff with jitter, Retry-After in its three forms, and when to stop.
import assert from 'node:assert/strict';
import { backoffDelayMs, decideRetry, parseRetryAfter, retryPolicy } from '../../../core/workforce/retry-policy';

const policy = retryPolicy({ maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 });
const headers = (h: Record<string, string>) => new Headers(h);

describe('retry policy', () => {
  it('doubles the backoff each retry up to the cap, half fixed and half random', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, () => 0)), [100, 200, 400, 500, 500]);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, () => 1)), [200, 400, 800, 1_000, 1_000]);
  });

  it('reads Retry-After as seconds, as an HTTP date, and OpenAI\'s retry-after-ms first', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter(headers({ 'retry-after': '3' }), now), 3_000);
    assert.equal(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now), 7_000);
    assert.equal(parseRetryAfter(headers({ 'retry-after': '3', 'retry-after-ms': '250' }), now), 250);
    assert.equal(parseRetryAfter(headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(parseRetryAfter(headers({}), now), undefined);
  });

  it('waits what the server asked rather than the backoff', () => {
    assert.deepEqual(decideRetry({ attempt: 1, retryable: true, retryAfterMs: 4_000, remainingMs: 60_000, policy }), { retry: true, delayMs: 4_000 });
  });

  it('stops: not retryable, attempts used up, Retry-After past the cap, or a wait past the deadline', () => {
    const base = { attempt: 1, retryable: true, remainingMs: 60_000, policy, random: () => 0.5 };
    assert.deepEqual(decideRetry({ ...base, retryable: false }), { retry: false, why: 'not_retryable' });
    assert.deepEqual(decideRetry({ ...base, attempt: 4 }), { retry: false, why: 'attempts_exhausted' });
    assert.deepEqual(decideRetry({ ...base, retryAfterMs: 10_001 }), { retry: false, why: 'retry_after_too_long' });
    assert.deepEqual(decideRetry({ ...base, remainingMs: 100 }), { retry: false, why: 'past_deadline' });
  });

  it('refuses a policy with an impossible value, naming the field', () => {
    assert.throws(() => retryPolicy({ maxAttempts: 0 }), /maxAttempts/);
  });
});
