// Each provider's real SDK, holding only a gateway token, through the gateway to a stand-in that holds the real key.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { startAnthropicStandIn } from '../../support/stand-ins/anthropic-stand-in';
import { startGeminiStandIn } from '../../support/stand-ins/gemini-stand-in';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { describeStores } from '../../support/stores';
import { createGatewayHarness, type GatewayHarness } from './gateway-harness';

const writeFile = { name: 'write_file', arguments: { path: 'hello.txt', content: 'hi\n' } };

describeStores('Model gateway: the agents\' protocols through their real SDKs', (ctx) => {
  let g: GatewayHarness;
  const standIns: Record<'anthropic' | 'openai' | 'gemini', StandIn> = {} as never;
  before(async () => {
    g = await createGatewayHarness(ctx.store);
    // Each stand-in accepts only the employee's real key: a call that reaches it with anything else fails.
    standIns.anthropic = await startAnthropicStandIn({ apiKey: g.canary });
    standIns.openai = await startOpenAIStandIn({ apiKey: g.canary });
    standIns.gemini = await startGeminiStandIn({ apiKey: g.canary });
  });
  after(async () => {
    await g.close();
    for (const s of Object.values(standIns)) await s.close();
  });

  it('passes an Anthropic message through with the real key injected, and meters its usage', async () => {
    const e = await g.hire('claude', standIns.anthropic.url);
    const { grant } = await g.grant(e, 'run_anthropic');
    standIns.anthropic.enqueue({ kind: 'answer', text: 'hello', tokensIn: 1000, tokensOut: 200 });
    const client = new Anthropic({ apiKey: grant.token, baseURL: grant.baseUrls.anthropic, maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(message.content, [{ type: 'text', text: 'hello' }]);
    assert.equal(standIns.anthropic.calls.at(-1)!.headers['x-api-key'], g.canary);
    await grant.revoke();
    // 1000 in at $3/M and 200 out at $15/M.
    assert.deepEqual(grant.usage(), { calls: 1, tokensIn: 1000, tokensOut: 200, costUsd: 0.006, models: ['claude-sonnet-4-5'] });
  });

  it('streams an Anthropic answer with tool_use through as the SDK expects, metering message_start and message_delta usage', async () => {
    const e = await g.hire('claude-stream', standIns.anthropic.url);
    const { grant } = await g.grant(e, 'run_anthropic_stream');
    standIns.anthropic.enqueue({ kind: 'answer', text: 'writing', toolCalls: [writeFile], tokensIn: 500, tokensOut: 40 });
    const client = new Anthropic({ apiKey: grant.token, baseURL: grant.baseUrls.anthropic, maxRetries: 0 });
    const message = await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'write' }] }).finalMessage();
    assert.equal(message.stop_reason, 'tool_use');
    assert.deepEqual((message.content[1] as { input: unknown }).input, writeFile.arguments);
    await grant.revoke();
    assert.deepEqual([grant.usage().tokensIn, grant.usage().tokensOut], [500, 40]);
  });

  it('passes OpenAI chat completions through, streamed with tool_calls and usage, the key as a bearer token', async () => {
    const e = await g.hire('qwen', `${standIns.openai.url}/v1`);
    const { grant } = await g.grant(e, 'run_openai_chat');
    standIns.openai.enqueue({ kind: 'answer', text: '', toolCalls: [writeFile], tokensIn: 300, tokensOut: 30 }, { kind: 'answer', text: 'done', tokensIn: 400, tokensOut: 10 });
    const client = new OpenAI({ apiKey: grant.token, baseURL: grant.baseUrls.openai, maxRetries: 0 });
    const streamed = await client.chat.completions.stream({ model: 'qwen3-coder', messages: [{ role: 'user', content: 'go' }], stream_options: { include_usage: true } }).finalChatCompletion();
    const call = streamed.choices[0]!.message.tool_calls![0]!;
    assert.deepEqual(call.type === 'function' && JSON.parse(call.function.arguments), writeFile.arguments);
    const plain = await client.chat.completions.create({ model: 'qwen3-coder', messages: [{ role: 'user', content: 'and?' }] });
    assert.equal(plain.choices[0]!.message.content, 'done');
    assert.equal(standIns.openai.calls.at(-1)!.headers.authorization, `Bearer ${g.canary}`);
    assert.equal(standIns.openai.calls.at(-1)!.path, '/v1/chat/completions');
    await grant.revoke();
    assert.deepEqual([grant.usage().calls, grant.usage().tokensIn, grant.usage().tokensOut], [2, 700, 40]);
  });

  it('passes the OpenAI Responses API through, streamed and not, metering response.completed usage', async () => {
    const e = await g.hire('codex', `${standIns.openai.url}/v1`);
    const { grant } = await g.grant(e, 'run_openai_responses');
    standIns.openai.enqueue({ kind: 'answer', text: 'streamed', toolCalls: [writeFile], tokensIn: 800, tokensOut: 50 }, { kind: 'answer', text: 'plain', tokensIn: 100, tokensOut: 5 });
    const client = new OpenAI({ apiKey: grant.token, baseURL: grant.baseUrls.openai, maxRetries: 0 });
    const streamed = await client.responses.stream({ model: 'gpt-5-codex', input: 'write it' }).finalResponse();
    assert.equal(streamed.output_text, 'streamed');
    const plain = await client.responses.create({ model: 'gpt-5-codex', input: 'again' });
    assert.equal(plain.output_text, 'plain');
    assert.equal(standIns.openai.calls.at(-1)!.path, '/v1/responses');
    await grant.revoke();
    assert.deepEqual([grant.usage().calls, grant.usage().tokensIn, grant.usage().tokensOut], [2, 900, 55]);
  });

  it('passes Gemini generateContent and streamGenerateContent?alt=sse through, the key as x-goog-api-key', async () => {
    const e = await g.hire('gemini', standIns.gemini.url);
    const { grant } = await g.grant(e, 'run_gemini');
    standIns.gemini.enqueue({ kind: 'answer', text: 'I will write it.', toolCalls: [writeFile], tokensIn: 600, tokensOut: 25 }, { kind: 'answer', text: 'ok', tokensIn: 50, tokensOut: 2 });
    const client = new GoogleGenAI({ apiKey: grant.token, httpOptions: { baseUrl: grant.baseUrls.gemini } });
    const calls: unknown[] = [];
    for await (const chunk of await client.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'write it' })) calls.push(...(chunk.functionCalls ?? []).map((c) => c.args));
    assert.deepEqual(calls, [writeFile.arguments]);
    const plain = await client.models.generateContent({ model: 'gemini-2.5-pro', contents: 'ok?' });
    assert.equal(plain.text, 'ok');
    const streamedCall = standIns.gemini.calls.at(-2)!;
    assert.deepEqual([streamedCall.path, streamedCall.query.alt, streamedCall.headers['x-goog-api-key']], ['/v1beta/models/gemini-2.5-pro:streamGenerateContent', 'sse', g.canary]);
    await grant.revoke();
    assert.deepEqual([grant.usage().calls, grant.usage().tokensIn, grant.usage().tokensOut], [2, 650, 27]);
  });

  it('writes a call row per call in the ledger and a GatewayCallCompleted event, without the prompt', async () => {
    const e = await g.hire('ledgered', standIns.anthropic.url);
    const { assignment, grant } = await g.grant(e, 'run_ledger');
    standIns.anthropic.enqueue({ kind: 'answer', text: 'a', tokensIn: 2000, tokensOut: 100 }, { kind: 'answer', text: 'b', tokensIn: 3000, tokensOut: 100 });
    const client = new Anthropic({ apiKey: grant.token, baseURL: grant.baseUrls.anthropic, maxRetries: 0 });
    for (const text of ['the secret plan', 'the second step']) await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 8, messages: [{ role: 'user', content: text }] });
    await grant.revoke();
    const rows = await ctx.store.query<{ entry_key: string; source: string; tokens_in: number; tokens_out: number; cost_usd: number }>('SELECT entry_key, source, tokens_in, tokens_out, cost_usd FROM aura.cost_ledger WHERE task_id = $1 ORDER BY entry_key', [assignment.taskId]);
    assert.deepEqual(rows.rows.map((r) => [r.entry_key, r.source, Number(r.tokens_in), Number(r.tokens_out), Number(r.cost_usd)]), [
      [`${assignment.idempotencyKey}#gateway-1`, 'call', 2000, 100, 0.0075],
      [`${assignment.idempotencyKey}#gateway-2`, 'call', 3000, 100, 0.0105],
    ]);
    const events = await g.h.ctx.events.query({ taskId: assignment.taskId, types: ['GatewayCallCompleted'] });
    assert.deepEqual(events.map((ev) => (ev.payload as { tokensIn: number }).tokensIn), [2000, 3000]);
    assert.ok(!JSON.stringify(events).includes('secret plan'));
  });
});
