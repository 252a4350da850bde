// The record key: canonical, so equal calls hash alike; and only what determines the answer is in it.
import assert from 'node:assert/strict';
import { callKey, completionParams } from '../../../core/replay/call-key';

describe('callKey', () => {
  it('is the same for the same call built with keys in any order', () => {
    const a = callKey({ provider: 'openai', model: 'm', params: { messages: [{ role: 'user', content: 'x' }], temperature: 0 } });
    const b = callKey({ model: 'm', params: { temperature: 0, messages: [{ content: 'x', role: 'user' }] }, provider: 'openai' } as never);
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{64}$/);
  });

  it('differs when the provider, the model or any param differs', () => {
    const base = { provider: 'openai', model: 'm', params: { messages: [{ role: 'user', content: 'x' }] } };
    const keys = new Set([
      callKey(base),
      callKey({ ...base, provider: 'ollama' }),
      callKey({ ...base, model: 'm2' }),
      callKey({ ...base, params: { messages: [{ role: 'user', content: 'y' }] } }),
    ]);
    assert.equal(keys.size, 4);
  });

  it('leaves the signal and the deadline out of a completion\'s params', () => {
    const messages = [{ role: 'user' as const, content: 'x' }];
    const withDeadline = completionParams({ messages, timeoutMs: 5, signal: new AbortController().signal });
    assert.equal(callKey({ provider: 'p', model: 'm', params: withDeadline }), callKey({ provider: 'p', model: 'm', params: completionParams({ messages }) }));
  });
});
