// The call runner on its own: which failures it retries, when it stops, and what its errors carry.
import assert from 'node:assert/strict';
import { runModelCall, type ModelCallSpec } from '../../../core/workforce/model-call';
import { retryPolicy } from '../../../core/workforce/retry-policy';
import { resolveSecretRef } from '../../../core/workforce/secret-ref';

function spec(overrides: Partial<ModelCallSpec>): ModelCallSpec {
  const sleeps: number[] = [];
  return {
    provider: 'p',
    model: 'm',
    request: { messages: [{ role: 'user', content: 'hi' }] },
    costTable: { inputPerMTok: 1, outputPerMTok: 1 },
    policy: retryPolicy({ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 }),
    clock: { now: () => new Date(), sleep: async (ms) => void sleeps.push(ms) },
    defaultTimeoutMs: 5_000,
    attempt: async () => ({ text: 'ok', finishReason: 'stop', tokensIn: 1, tokensOut: 1 }),
    classify: () => ({ reason: 'network', message: 'connection refused' }),
    ...overrides,
  };
}

describe('runModelCall', () => {
  it('retries a network failure and counts the attempts', async () => {
    let n = 0;
    const result = await runModelCall(spec({ attempt: async () => (++n < 3 ? Promise.reject(new Error('ECONNREFUSED')) : { text: 'ok', finishReason: 'stop', tokensIn: 2, tokensOut: 3 }) }));
    assert.equal(result.attempts, 3);
    assert.equal(result.tokensIn, 2);
  });

  it('does not retry a refused request', async () => {
    let n = 0;
    await assert.rejects(
      runModelCall(spec({ attempt: async () => (n++, Promise.reject(new Error('bad'))), classify: () => ({ reason: 'bad_request', status: 400, message: 'HTTP 400' }) })),
      (e: Error & { code?: string }) => e.code === 'invalid_input',
    );
    assert.equal(n, 1);
  });

  it('ends with a timeout, not the last failure, when the deadline falls during a backoff', async () => {
    const slowClock = { now: () => new Date(), sleep: (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))) };
    const error = await runModelCall(spec({ request: { messages: [{ role: 'user', content: 'hi' }], timeoutMs: 200 }, clock: slowClock, policy: retryPolicy({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 100 }), attempt: async () => Promise.reject(new Error('x')) })).catch((e) => e);
    assert.equal(error.reason, 'timeout');
  });

  it('scrubs the key out of a provider\'s message, and keeps the SDK\'s error object out of the cause', async () => {
    const secret = resolveSecretRef('env:K', { env: { K: 'sk-echoed-back-by-a-proxy' } });
    const sdkError = Object.assign(new Error('401: key sk-echoed-back-by-a-proxy refused'), { request: { headers: { authorization: 'Bearer sk-echoed-back-by-a-proxy' } } });
    const error = await runModelCall(spec({ secret, attempt: async () => Promise.reject(sdkError), classify: (e) => ({ reason: 'auth', status: 401, message: (e as Error).message }) })).catch((e) => e);
    assert.equal(error.code, 'unauthorized');
    assert.ok(!error.message.includes('sk-echoed'), error.message);
    assert.ok(!JSON.stringify(error.cause, Object.getOwnPropertyNames(error.cause)).includes('sk-echoed'));
    assert.equal(error.cause.request, undefined);
  });
});
