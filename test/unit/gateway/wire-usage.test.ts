// Usage read from each protocol's answers: JSON bodies and SSE streams, running totals, and answers without usage.
import assert from 'node:assert/strict';
import { exchangeUsage } from '../../../core/gateway/wire-usage';

const sse = (events: unknown[], named = false) => events.map((e) => `${named ? `event: ${(e as { type: string }).type}\n` : ''}data: ${JSON.stringify(e)}\n\n`).join('');

describe('gateway usage from the wire', () => {
  it('counts Anthropic input from message_start (cache reads and writes included) and output from the last message_delta', () => {
    const body = sse([{ type: 'message_start', message: { model: 'claude-x', usage: { input_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 1 } } }, { type: 'message_delta', usage: { output_tokens: 7 } }, { type: 'message_delta', usage: { output_tokens: 42 } }, { type: 'message_stop' }], true);
    assert.deepEqual(exchangeUsage('anthropic', 'text/event-stream; charset=utf-8', body), { model: 'claude-x', tokensIn: 115, tokensOut: 42, reported: true });
  });

  it('reads OpenAI Responses usage from response.completed', () => {
    const body = sse([{ type: 'response.created', response: { model: 'gpt-5', usage: null } }, { type: 'response.completed', response: { model: 'gpt-5', usage: { input_tokens: 30, output_tokens: 9 } } }], true);
    assert.deepEqual(exchangeUsage('openai', 'text/event-stream', body), { model: 'gpt-5', tokensIn: 30, tokensOut: 9, reported: true });
  });

  it('estimates an OpenAI chat stream sent without include_usage instead of counting it free', () => {
    const body = sse([{ model: 'm', choices: [{ delta: { content: 'x'.repeat(400) } }] }]) + 'data: [DONE]\n\n';
    const usage = exchangeUsage('openai', 'text/event-stream', body);
    assert.equal(usage.reported, false);
    assert.ok(usage.tokensOut >= 100);
  });

  it('takes the last Gemini usageMetadata of a stream, thoughts counted as output', () => {
    const body = sse([{ modelVersion: 'gemini-2.5-pro', usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 1 } }, { modelVersion: 'gemini-2.5-pro', usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 20, thoughtsTokenCount: 5 } }]).replaceAll('\n\n', '\r\n\r\n');
    assert.deepEqual(exchangeUsage('gemini', 'text/event-stream', body), { model: 'gemini-2.5-pro', tokensIn: 50, tokensOut: 25, reported: true });
  });

  it('reads a JSON body, and reports nothing for one that is not JSON', () => {
    assert.deepEqual(exchangeUsage('openai', 'application/json', JSON.stringify({ model: 'm', usage: { prompt_tokens: 3, completion_tokens: 4 } })), { model: 'm', tokensIn: 3, tokensOut: 4, reported: true });
    assert.deepEqual(exchangeUsage('anthropic', 'text/html', '<html>502</html>'), { model: null, tokensIn: 0, tokensOut: 0, reported: false });
  });
});
