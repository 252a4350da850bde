// Each model adapter, through its real SDK over HTTP, against its provider's stand-in: answers, accounting, retries, failures.
import assert from 'node:assert/strict';
import { ModelCallError } from '../../../core/workforce/model-call-error';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { harnesses, jsonRequest, providerFor, recordingClock, rejection, TEST_KEY } from './harness';

for (const harness of harnesses) {
  describe(`${harness.provider} adapter (real SDK) against the ${harness.provider} stand-in`, () => {
    let standIn: StandIn;
    before(async () => {
      standIn = await harness.start({ apiKey: TEST_KEY, models: ['stand-in-model'] });
    });
    afterEach(() => standIn.reset());
    after(() => standIn.close());

    it('returns a JSON answer and sends the schema as the provider\'s structured-output instruction', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"renamed the module","files":["a.ts"]}' });
      const answer = await providerFor(harness, standIn).complete(jsonRequest);
      assert.deepEqual(JSON.parse(answer.text), { summary: 'renamed the module', files: ['a.ts'] });
      assert.equal(answer.finishReason, 'stop');
      assert.equal(answer.attempts, 1);
      assert.equal(standIn.calls.length, 1);
      const onWire = harness.structuredOutputOnWire(standIn.calls[0]!.body as Record<string, unknown>) as Record<string, unknown>;
      assert.ok(onWire, 'the request carries a schema');
      assert.deepEqual(Object.keys(onWire.properties as object).sort(), ['files', 'summary']);
    });

    it('reports tokens from the provider\'s usage and prices them with the profile\'s cost table', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"s","files":[]}', tokensIn: 1_200, tokensOut: 300, model: 'stand-in-model-2025-01-01' });
      const answer = await providerFor(harness, standIn).complete(jsonRequest);
      assert.equal(answer.tokensIn, 1_200);
      assert.equal(answer.tokensOut, 300);
      // 1200 × $2.50/M + 300 × $10/M
      assert.equal(answer.costUsd, 0.006);
      assert.equal(answer.model, 'stand-in-model-2025-01-01');
      assert.ok(answer.latencyMs >= 0 && answer.latencyMs < 5_000, `latency ${answer.latencyMs}`);
    });

    it('retries a 429 after the Retry-After the server asked for, then succeeds (the retry counted)', async () => {
      const clock = recordingClock();
      standIn.enqueue({ kind: 'error', status: 429, retryAfter: '2' }, { kind: 'answer', text: '{"summary":"s","files":[]}' });
      const answer = await providerFor(harness, standIn, { clock }).complete(jsonRequest);
      assert.equal(answer.attempts, 2);
      assert.equal(standIn.calls.length, 2);
      assert.deepEqual(clock.sleeps, [2_000]);
    });

    it('gives up on 500s after the policy\'s attempts, with backoff between them, as a retryable unavailable error', async () => {
      const clock = recordingClock();
      standIn.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 }, { kind: 'error', status: 500 }, { kind: 'answer', text: 'never served' });
      const error = await rejection(() => providerFor(harness, standIn, { clock }).complete(jsonRequest));
      assert.ok(error instanceof ModelCallError);
      assert.equal(error.code, 'unavailable');
      assert.equal(error.reason, 'server_error');
      assert.equal(error.retryable, true);
      assert.equal(error.details?.attempts, 3);
      assert.equal(standIn.calls.length, 3);
      // baseDelay 100 ms doubling, equal jitter at random() = 0.5: 75 ms, then 150 ms.
      assert.deepEqual(clock.sleeps, [75, 150]);
      assert.match(error.message, /attempts exhausted/);
    });

    it('stops at timeoutMs when the model is slow, with a timeout error', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"late","files":[]}', delayMs: 10_000 });
      const started = Date.now();
      const error = await rejection(() => providerFor(harness, standIn).complete({ ...jsonRequest, timeoutMs: 300 }));
      const took = Date.now() - started;
      assert.equal((error as ModelCallError).code, 'timeout');
      assert.equal((error as ModelCallError).reason, 'timeout');
      assert.ok(took >= 250 && took < 3_000, `took ${took} ms`);
    });

    it('refuses an answer cut off at the token limit, without retrying, and says what it cost', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"the answer goes on and', finish: 'length', tokensIn: 100, tokensOut: 400 });
      const error = await rejection(() => providerFor(harness, standIn).complete(jsonRequest));
      assert.equal(error.code, 'budget_exceeded');
      assert.equal(error.reason, 'truncated');
      assert.equal(error.retryable, false);
      assert.match(error.message, /cut off at the token limit/);
      assert.deepEqual(error.details?.usage, { tokensIn: 100, tokensOut: 400, costUsd: 0.00425 });
      assert.equal(standIn.calls.length, 1);
    });

    it('refuses a 200 whose body is not the protocol (garbage) as a bad response, without retrying', async () => {
      standIn.enqueue({ kind: 'garbage' }, { kind: 'answer', text: 'never served' });
      const error = await rejection(() => providerFor(harness, standIn).complete(jsonRequest));
      assert.equal(error.code, 'unavailable');
      assert.equal(error.reason, 'bad_response');
      assert.equal(error.retryable, false);
      assert.equal(standIn.calls.length, 1);
    });

    it('retries when the connection breaks off mid-body, then succeeds', async () => {
      standIn.enqueue({ kind: 'truncated-body' }, { kind: 'answer', text: '{"summary":"whole","files":[]}' });
      const answer = await providerFor(harness, standIn, { clock: recordingClock() }).complete(jsonRequest);
      assert.equal(JSON.parse(answer.text).summary, 'whole');
      assert.equal(answer.attempts, 2);
    });

    it('refuses a wrong key as unauthorized, at once and not retryable, without the key in the error', async () => {
      const provider = providerFor(harness, standIn, { secrets: { env: { STAND_IN_API_KEY: 'sk-wrong-key-1234567890' } } });
      const error = await rejection(() => provider.complete(jsonRequest));
      assert.equal(error.code, 'unauthorized');
      assert.equal(error.reason, 'auth');
      assert.equal(error.retryable, false);
      assert.equal(standIn.calls.length, 1);
      assert.ok(!JSON.stringify({ message: error.message, details: error.details, cause: String(error.cause) }).includes('sk-wrong-key-1234567890'));
    });

    it('reports a model the endpoint does not know as not_found', async () => {
      const error = await rejection(() => providerFor(harness, standIn, {}, { model: 'no-such-model' }).complete(jsonRequest));
      assert.equal(error.code, 'not_found');
      assert.equal(error.reason, 'unknown_model');
      assert.equal(standIn.calls.length, 1);
    });

    it('refuses prose when JSON was asked for', async () => {
      standIn.enqueue({ kind: 'answer', text: 'Sure! Here is the summary you wanted.' });
      const error = await rejection(() => providerFor(harness, standIn).complete(jsonRequest));
      assert.equal(error.reason, 'not_json');
      assert.equal(error.retryable, true);
    });

    it('refuses JSON that does not match the requested schema', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary": 42}' });
      const error = await rejection(() => providerFor(harness, standIn).complete(jsonRequest));
      assert.equal(error.reason, 'schema_mismatch');
      assert.match(error.message, /summary/);
    });

    it('refuses an answer with no text', async () => {
      standIn.enqueue({ kind: 'answer', text: '', finish: 'safety' });
      const error = await rejection(() => providerFor(harness, standIn).complete(jsonRequest));
      assert.equal(error.reason, 'empty');
    });

    it('stops when its caller aborts, as cancelled', async () => {
      standIn.enqueue({ kind: 'answer', text: '{"summary":"late","files":[]}', delayMs: 10_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await rejection(() => providerFor(harness, standIn).complete({ ...jsonRequest, signal: controller.signal }));
      assert.equal(error.reason, 'cancelled');
      assert.equal(error.retryable, false);
    });

    it('does not wait for a Retry-After longer than the policy allows, and says how long was asked', async () => {
      const clock = recordingClock();
      standIn.enqueue({ kind: 'error', status: 429, retryAfter: '120' }, { kind: 'answer', text: 'never served' });
      const error = await rejection(() => providerFor(harness, standIn, { clock }).complete(jsonRequest));
      assert.equal(error.reason, 'rate_limited');
      assert.equal(error.details?.retryAfterMs, 120_000);
      assert.deepEqual(clock.sleeps, []);
      assert.equal(standIn.calls.length, 1);
    });

    it('answers plain text when no schema is asked for', async () => {
      standIn.enqueue({ kind: 'answer', text: 'Plain words.' });
      const answer = await providerFor(harness, standIn).complete({ messages: [{ role: 'user', content: 'Say something.' }] });
      assert.equal(answer.text, 'Plain words.');
      assert.equal(harness.structuredOutputOnWire(standIn.calls[0]!.body as Record<string, unknown>), undefined);
    });
  });
}
