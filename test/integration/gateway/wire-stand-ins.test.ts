// The stand-ins the coding agents talk to, checked with each provider's real SDK: text and tool calls, streamed and not, usage.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { startAnthropicStandIn } from '../../support/stand-ins/anthropic-stand-in';
import { startGeminiStandIn } from '../../support/stand-ins/gemini-stand-in';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn } from '../../support/stand-ins/stand-in-server';

const writeFile = { name: 'write_file', arguments: { path: 'hello.txt', content: 'hello from the stand-in\n' } };
const runCommand = { name: 'run_shell_command', arguments: { command: 'cat hello.txt' } };

describe('Anthropic Messages stand-in, through @anthropic-ai/sdk', () => {
  let standIn: StandIn;
  let client: Anthropic;
  before(async () => {
    standIn = await startAnthropicStandIn({ apiKey: 'sk-ant-stand-in' });
    client = new Anthropic({ apiKey: 'sk-ant-stand-in', baseURL: standIn.url, maxRetries: 0 });
  });
  afterEach(() => standIn.reset());
  after(() => standIn.close());

  it('answers a message with text and its usage', async () => {
    standIn.enqueue({ kind: 'answer', text: 'hello there', tokensIn: 11, tokensOut: 3 });
    const message = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(message.content, [{ type: 'text', text: 'hello there' }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual([message.usage.input_tokens, message.usage.output_tokens], [11, 3]);
  });

  it('answers with tool_use blocks and stop_reason tool_use', async () => {
    standIn.enqueue({ kind: 'answer', text: 'Writing the file.', toolCalls: [writeFile] });
    const message = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'write it' }], tools: [{ name: 'write_file', input_schema: { type: 'object' } }] });
    assert.equal(message.stop_reason, 'tool_use');
    const tool = message.content.find((b) => b.type === 'tool_use');
    assert.ok(tool && tool.type === 'tool_use');
    assert.deepEqual([tool.name, tool.input], [writeFile.name, writeFile.arguments]);
  });

  it('streams message_start, content blocks, message_delta with usage and message_stop, which the SDK assembles', async () => {
    standIn.enqueue({ kind: 'answer', text: 'streamed words here', toolCalls: [runCommand], tokensIn: 20, tokensOut: 9 });
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'run it' }] });
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const message = await stream.finalMessage();
    assert.deepEqual([types[0], types.at(-1)], ['message_start', 'message_stop']);
    assert.ok(types.includes('message_delta'));
    assert.deepEqual(message.content[0], { type: 'text', text: 'streamed words here' });
    assert.deepEqual(message.content[1], { type: 'tool_use', id: (message.content[1] as { id: string }).id, name: runCommand.name, input: runCommand.arguments });
    assert.deepEqual([message.usage.input_tokens, message.usage.output_tokens, message.stop_reason], [20, 9, 'tool_use']);
  });

  it('refuses a wrong key with the API authentication_error the SDK raises', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: standIn.url, maxRetries: 0 });
    await assert.rejects(wrong.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof Anthropic.AuthenticationError && error.status === 401);
  });
});

describe('OpenAI stand-in: Chat Completions tool calls and the Responses API, through openai', () => {
  let standIn: StandIn;
  let client: OpenAI;
  before(async () => {
    standIn = await startOpenAIStandIn({ apiKey: 'sk-stand-in' });
    client = new OpenAI({ apiKey: 'sk-stand-in', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  });
  afterEach(() => standIn.reset());
  after(() => standIn.close());

  it('answers a chat completion with tool_calls and finish_reason tool_calls', async () => {
    standIn.enqueue({ kind: 'answer', text: '', toolCalls: [writeFile] });
    const completion = await client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'write it' }] });
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.deepEqual([call.function.name, JSON.parse(call.function.arguments)], [writeFile.name, writeFile.arguments]);
  });

  it('streams tool_calls deltas and a usage chunk that the SDK stream helper assembles', async () => {
    standIn.enqueue({ kind: 'answer', text: 'ok', toolCalls: [writeFile, runCommand], tokensIn: 30, tokensOut: 12 });
    const stream = client.chat.completions.stream({ model: 'gpt-5', messages: [{ role: 'user', content: 'go' }], stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();
    const calls = completion.choices[0]!.message.tool_calls ?? [];
    assert.deepEqual(calls.map((c) => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments)] : [])), [[writeFile.name, writeFile.arguments], [runCommand.name, runCommand.arguments]]);
    assert.deepEqual([completion.usage?.prompt_tokens, completion.usage?.completion_tokens], [30, 12]);
  });

  it('answers a Responses request with a message item, function_call items and usage', async () => {
    standIn.enqueue({ kind: 'answer', text: 'done', toolCalls: [runCommand], tokensIn: 14, tokensOut: 6 });
    const response = await client.responses.create({ model: 'gpt-5-codex', input: 'run it', tools: [{ type: 'function', name: 'run_shell_command', parameters: { type: 'object' }, strict: false }] });
    assert.equal(response.output_text, 'done');
    const call = response.output.find((item) => item.type === 'function_call');
    assert.ok(call && call.type === 'function_call');
    assert.deepEqual([call.name, JSON.parse(call.arguments)], [runCommand.name, runCommand.arguments]);
    assert.deepEqual([response.usage?.input_tokens, response.usage?.output_tokens], [14, 6]);
    assert.equal(standIn.calls[0]!.path, '/v1/responses');
  });

  it('streams Responses events (response.created ... response.completed) that the SDK stream helper assembles', async () => {
    standIn.enqueue({ kind: 'answer', text: 'streaming the answer', toolCalls: [writeFile], tokensIn: 40, tokensOut: 15 });
    const stream = client.responses.stream({ model: 'gpt-5-codex', input: [{ role: 'user', content: 'write it' }] });
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    const response = await stream.finalResponse();
    assert.deepEqual([types[0], types.at(-1)], ['response.created', 'response.completed']);
    assert.ok(types.includes('response.output_item.added') && types.includes('response.function_call_arguments.delta'));
    assert.equal(response.output_text, 'streaming the answer');
    const call = response.output.find((item) => item.type === 'function_call');
    assert.ok(call && call.type === 'function_call');
    assert.deepEqual(JSON.parse(call.arguments), writeFile.arguments);
    assert.deepEqual([response.usage?.input_tokens, response.usage?.output_tokens], [40, 15]);
  });
});

describe('Gemini stand-in: functionCall parts, streamed and not, through @google/genai', () => {
  let standIn: StandIn;
  let client: GoogleGenAI;
  before(async () => {
    standIn = await startGeminiStandIn({ apiKey: 'AIza-stand-in' });
    client = new GoogleGenAI({ apiKey: 'AIza-stand-in', httpOptions: { baseUrl: standIn.url } });
  });
  afterEach(() => standIn.reset());
  after(() => standIn.close());

  it('answers generateContent with functionCall parts and usageMetadata', async () => {
    standIn.enqueue({ kind: 'answer', text: '', toolCalls: [writeFile], tokensIn: 9, tokensOut: 5 });
    const response = await client.models.generateContent({ model: 'gemini-2.5-pro', contents: 'write it', config: { tools: [{ functionDeclarations: [{ name: 'write_file' }] }] } });
    assert.deepEqual(response.functionCalls?.map((c) => [c.name, c.args]), [[writeFile.name, writeFile.arguments]]);
    assert.deepEqual([response.usageMetadata?.promptTokenCount, response.usageMetadata?.candidatesTokenCount], [9, 5]);
  });

  it('streams streamGenerateContent?alt=sse with text pieces, then the function calls, with usageMetadata', async () => {
    standIn.enqueue({ kind: 'answer', text: 'I will run it.', toolCalls: [runCommand], tokensIn: 12, tokensOut: 7 });
    const stream = await client.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'run it' });
    let text = '';
    const calls: unknown[] = [];
    let usage: number[] = [];
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      calls.push(...(chunk.functionCalls ?? []).map((c) => [c.name, c.args]));
      if (chunk.usageMetadata) usage = [chunk.usageMetadata.promptTokenCount ?? 0, chunk.usageMetadata.candidatesTokenCount ?? 0];
    }
    assert.equal(text, 'I will run it.');
    assert.deepEqual(calls, [[runCommand.name, runCommand.arguments]]);
    assert.deepEqual(usage, [12, 7]);
    assert.deepEqual([standIn.calls[0]!.path, standIn.calls[0]!.query.alt], ['/v1beta/models/gemini-2.5-pro:streamGenerateContent', 'sse']);
  });
});
