// The retry policy of external calls: backoff with jitter, Retry-After honoured, 4xx never retried, attempts bounded.
import assert from 'node:assert/strict';
import { IntegrationCallError, parseRetryAfter, reasonOfStatus } from '../../../core/integrations/integration-error';
import { attemptsOf, backoffDelayMs, type RetryPolicy, withRetries } from '../../../core/integrations/retry-policy';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
const failure = (status: number, retryAfterMs?: number) => new IntegrationCallError({ reason: reasonOfStatus(status), status, message: `answered ${status}`, retryAfterMs });

function script(outcomes: Array<Error | string>) {
  const waits: number[] = [];
  let calls = 0;
  const run = () =>
    withRetries(
      async () => {
        const next = outcomes[calls++];
        if (next instanceof Error) throw next;
        return next!;
      },
      policy,
      { sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
  return { run, waits, calls: () => calls };
}

describe('integration retry policy', () => {
  it('doubles the jitter ceiling per failure up to the maximum', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, policy, undefined, () => 0.999999)), [99, 199, 399, 799, 999, 999]);
    assert.equal(backoffDelayMs(3, policy, undefined, () => 0), 0);
  });

  it('never waits less than the Retry-After the system asked for', () => {
    assert.equal(backoffDelayMs(1, policy, 2_000, () => 0.5), 2_000);
    assert.equal(backoffDelayMs(4, policy, 10, () => 0.5), 400);
  });

  it('retries 429 and 5xx until one succeeds', async () => {
    const s = script([failure(429, 1_500), failure(503), 'done']);
    const outcome = await s.run();
    assert.deepEqual(outcome, { value: 'done', attempts: 3 });
    assert.deepEqual(s.waits, [1_500, 100]);
  });

  it('never retries a 4xx other than 429', async () => {
    for (const status of [400, 401, 403, 404, 422]) {
      const s = script([failure(status), 'done']);
      await assert.rejects(s.run(), (e: IntegrationCallError) => e.status === status);
      assert.equal(s.calls(), 1, `status ${status}`);
    }
  });

  it('retries a network failure, and gives up after maxAttempts with the last error and its attempt count', async () => {
    const net = () => new IntegrationCallError({ reason: 'network', message: 'ECONNREFUSED' });
    const s = script([net(), net(), net(), failure(500), 'never']);
    const error = await s.run().catch((e: unknown) => e);
    assert.equal((error as IntegrationCallError).status, 500);
    assert.equal(attemptsOf(error), 4);
    assert.equal(s.waits.length, 3);
  });

  it('does not wait out a Retry-After longer than the policy allows', async () => {
    const s = script([failure(429, 60_000), 'done']);
    await assert.rejects(s.run(), (e: IntegrationCallError) => e.reason === 'rate_limited');
    assert.deepEqual(s.waits, []);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    assert.equal(parseRetryAfter('2', now), 2_000);
    assert.equal(parseRetryAfter('Fri, 04 Dec 2026 12:00:05 GMT', now), 5_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('classifies statuses: only 429, 408 and 5xx may pass on a retry', () => {
    assert.deepEqual([429, 408, 500, 502, 400, 401, 404, 409].map((s) => failure(s).retryable), [true, true, true, true, false, false, false, false]);
  });
});
