// The request fields a gateway record's key leaves out: per-session values agents put in otherwise equal requests.
import assert from 'node:assert/strict';
import { wireProtocols, withoutVolatile } from '../../../core/gateway/wire-protocols';

describe('volatile request fields', () => {
  it('drops nested fields and fields of every array element, leaving the rest and the original untouched', () => {
    const body = {
      contents: [
        { role: 'model', parts: [{ functionCall: { id: 'write_file_1796357194561_0', name: 'write_file', args: { a: 1 } } }, { text: 'hi' }] },
        { role: 'user', parts: [{ functionResponse: { id: 'write_file_1796357194561_0', name: 'write_file', response: { ok: true } } }] },
      ],
      generationConfig: { temperature: 0 },
    };
    const kept = withoutVolatile(body, wireProtocols.gemini.volatileFields);
    assert.deepEqual(kept, {
      contents: [
        { role: 'model', parts: [{ functionCall: { name: 'write_file', args: { a: 1 } } }, { text: 'hi' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'write_file', response: { ok: true } } }] },
      ],
      generationConfig: { temperature: 0 },
    });
    assert.match(JSON.stringify(body), /write_file_1796357194561_0/, 'the forwarded body keeps its ids');
    assert.deepEqual(withoutVolatile({ metadata: { user_id: 'u1', other: 2 }, x: 1 }, wireProtocols.anthropic.volatileFields), { metadata: { other: 2 }, x: 1 });
    assert.deepEqual(withoutVolatile({ prompt_cache_key: 'k', user: 'u', model: 'm' }, wireProtocols.openai.volatileFields), { model: 'm' });
    // Codex's Responses requests: its session ids, and an id per input message.
    assert.deepEqual(
      withoutVolatile({ model: 'm', client_metadata: { session_id: 's' }, input: [{ id: 'msg_1', role: 'user', content: 'x' }, { type: 'function_call', id: 'fc_1', call_id: 'call_1' }] }, wireProtocols.openai.volatileFields),
      { model: 'm', input: [{ role: 'user', content: 'x' }, { type: 'function_call', call_id: 'call_1' }] },
    );
    assert.equal(withoutVolatile(null, wireProtocols.gemini.volatileFields), null);
  });
});
