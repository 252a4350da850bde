// What differs between the providers on the wire: compatible OpenAI servers, Ollama without a key, Gemini's roles and schemas.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { createModelProvider } from '../../../adapters/model-providers';
import { employeeProfileSchema } from '../../../core/workforce/employee';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { harnesses, jsonRequest, providerFor, rejection } from './harness';

const [openaiHarness, ollamaHarness, geminiHarness] = harnesses as [(typeof harnesses)[0], (typeof harnesses)[0], (typeof harnesses)[0]];

describe('OpenAI adapter: specifics', () => {
  let standIn: StandIn;
  before(async () => {
    standIn = await openaiHarness.start();
  });
  afterEach(() => standIn.reset());
  after(() => standIn.close());

  it('talks to an OpenAI-compatible server at any base URL without a key, sending max_tokens', async () => {
    standIn.enqueue({ kind: 'answer', text: 'ok' });
    const provider = createModelProvider(employeeProfileSchema.parse({ name: 'local', provider: 'openai', model: 'qwen2.5-coder', baseUrl: standIn.url }));
    const answer = await provider.complete({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 64 });
    assert.equal(answer.text, 'ok');
    const call = standIn.calls[0]!;
    assert.equal(call.path, '/chat/completions');
    assert.equal((call.body as { max_tokens?: number }).max_tokens, 64);
    assert.equal((call.body as { max_completion_tokens?: number }).max_completion_tokens, undefined);
  });

  it('refuses to build an api.openai.com employee without apiKeyRef, naming the setting', () => {
    assert.throws(
      () => createModelProvider(employeeProfileSchema.parse({ name: 'gpt', provider: 'openai', model: 'gpt-4o-mini' })),
      (error: Error & { code?: string }) => error.code === 'config' && /apiKeyRef/.test(error.message),
    );
  });

  it('asks for strict structured output only when the schema allows it', async () => {
    standIn.enqueue({ kind: 'answer', text: '{"summary":"s","files":[]}' }, { kind: 'answer', text: '{"summary":"s"}' });
    const provider = providerFor(openaiHarness, standIn);
    await provider.complete(jsonRequest);
    const loose = { name: 'loose answer!', schema: { type: 'object', properties: { summary: { type: 'string' }, files: { type: 'array' } }, required: ['summary'] } };
    await provider.complete({ ...jsonRequest, jsonSchema: loose });
    const formats = standIn.calls.map((c) => (c.body as { response_format: { json_schema: { strict: boolean; name: string } } }).response_format.json_schema);
    assert.deepEqual(formats.map((f) => f.strict), [true, false]);
    assert.equal(formats[1]!.name, 'loose_answer_');
  });

  it('the stand-in streams Server-Sent Events that the real SDK assembles, usage included', async () => {
    standIn.enqueue({ kind: 'answer', text: 'streamed answer text', tokensIn: 7, tokensOut: 4 });
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'streamed answer text');
    assert.deepEqual({ in: usage?.prompt_tokens, out: usage?.completion_tokens }, { in: 7, out: 4 });
  });

  it('the stand-in refuses json_object mode without the word JSON in the messages, as the API does', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    const error = await rejection(() => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } }));
    assert.equal((error as Error & { status?: number }).status, 400);
  });
});

describe('Ollama adapter: specifics', () => {
  let standIn: StandIn;
  before(async () => {
    standIn = await ollamaHarness.start();
  });
  afterEach(() => standIn.reset());
  after(() => standIn.close());

  it('sends no Authorization to a local Ollama, and maps temperature and maxTokens onto options', async () => {
    standIn.enqueue({ kind: 'answer', text: 'ok' });
    const provider = createModelProvider(employeeProfileSchema.parse({ name: 'local', provider: 'ollama', model: 'llama3.2', baseUrl: standIn.url }));
    await provider.complete({ messages: [{ role: 'user', content: 'hi' }], temperature: 0.2, maxTokens: 128 });
    const call = standIn.calls[0]!;
    assert.equal(call.headers.authorization, undefined);
    assert.deepEqual((call.body as { options: unknown }).options, { temperature: 0.2, num_predict: 128 });
    assert.equal((call.body as { stream: boolean }).stream, false);
  });

  it('sends the key as a bearer token when the profile has one (Ollama behind a proxy, ollama.com)', async () => {
    standIn.enqueue({ kind: 'answer', text: 'ok' });
    await providerFor(ollamaHarness, standIn).complete({ messages: [{ role: 'user', content: 'hi' }] });
    assert.match(String(standIn.calls[0]!.headers.authorization), /^Bearer sk-/);
  });

  it('refuses ollama.com without apiKeyRef (the SDK would take OLLAMA_API_KEY from the environment), naming the setting', () => {
    assert.throws(
      () => createModelProvider(employeeProfileSchema.parse({ name: 'cloud', provider: 'ollama', model: 'gpt-oss:120b', baseUrl: 'https://ollama.com' })),
      (error: Error & { code?: string }) => error.code === 'config' && /apiKeyRef/.test(error.message),
    );
  });

  it('writes nothing to stdout when an error body is not JSON (stdout may be the MCP stdio protocol)', async () => {
    standIn.enqueue({ kind: 'error', status: 502, rawBody: '<html><body>502 Bad Gateway</body></html>' });
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    let error: Error & { reason?: string; status?: number };
    try {
      error = await rejection(() => providerFor(ollamaHarness, standIn, { retry: { maxAttempts: 1 } }).complete({ messages: [{ role: 'user', content: 'hi' }] }));
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(written, []);
    assert.equal(error.reason, 'server_error');
    assert.match(error.message, /502 Bad Gateway/);
  });

  it('the stand-in streams NDJSON that the real SDK assembles, with eval counts on the last line', async () => {
    standIn.enqueue({ kind: 'answer', text: 'streamed answer text', tokensIn: 9, tokensOut: 5 });
    const client = new Ollama({ host: standIn.url });
    let text = '';
    let counts: [number, number] | undefined;
    for await (const part of await client.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      text += part.message.content;
      if (part.done) counts = [part.prompt_eval_count, part.eval_count];
    }
    assert.equal(text, 'streamed answer text');
    assert.deepEqual(counts, [9, 5]);
  });
});

describe('Gemini adapter: specifics', () => {
  let standIn: StandIn;
  before(async () => {
    standIn = await geminiHarness.start();
  });
  afterEach(() => standIn.reset());
  after(() => standIn.close());

  it('sends system messages as systemInstruction and the assistant as the model role, the key in x-goog-api-key', async () => {
    standIn.enqueue({ kind: 'answer', text: 'ok' });
    await providerFor(geminiHarness, standIn).complete({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Q1' },
        { role: 'assistant', content: 'A1' },
        { role: 'user', content: 'Q2' },
      ],
    });
    const call = standIn.calls[0]!;
    const body = call.body as { contents: Array<{ role: string; parts: Array<{ text: string }> }>; systemInstruction: { parts: Array<{ text: string }> } };
    assert.deepEqual(body.contents.map((c) => [c.role, c.parts[0]!.text]), [['user', 'Q1'], ['model', 'A1'], ['user', 'Q2']]);
    assert.equal(body.systemInstruction.parts[0]!.text, 'Be brief.');
    assert.match(String(call.headers['x-goog-api-key']), /^sk-/);
    assert.equal(call.query.key, undefined, 'the key never travels in the URL');
  });

  it('sends a schema outside responseSchema\'s subset as responseJsonSchema', async () => {
    standIn.enqueue({ kind: 'answer', text: '{"kind":"a"}' });
    const schema = { type: 'object', properties: { kind: { const: 'a' } }, required: ['kind'] };
    await providerFor(geminiHarness, standIn).complete({ messages: [{ role: 'user', content: 'hi' }], jsonSchema: { name: 'k', schema } });
    const config = (standIn.calls[0]!.body as { generationConfig: Record<string, unknown> }).generationConfig;
    assert.equal(config.responseSchema, undefined);
    assert.deepEqual(config.responseJsonSchema, schema);
    assert.equal(config.responseMimeType, 'application/json');
  });

  it('refuses to build a Gemini employee without apiKeyRef, naming the setting', () => {
    assert.throws(
      () => createModelProvider(employeeProfileSchema.parse({ name: 'g', provider: 'gemini', model: 'gemini-2.5-flash' })),
      (error: Error & { code?: string }) => error.code === 'config' && /apiKeyRef/.test(error.message),
    );
  });
});

describe('provider SDKs and the server\'s environment', () => {
  const saved = { OPENAI_BASE_URL: process.env.OPENAI_BASE_URL, GOOGLE_GEMINI_BASE_URL: process.env.GOOGLE_GEMINI_BASE_URL };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  for (const provider of ['openai', 'gemini'] as const) {
    it(`${provider}: an SDK variable in the environment does not redirect a call (the endpoint is always explicit)`, async () => {
      process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
      process.env.GOOGLE_GEMINI_BASE_URL = 'http://127.0.0.1:9/';
      const urls: string[] = [];
      const refuse = (async (input: string | URL | Request) => {
        urls.push(String(input instanceof Request ? input.url : input));
        throw new TypeError('fetch failed');
      }) as typeof fetch;
      const profile = employeeProfileSchema.parse({ name: 'p', provider, model: 'm', apiKeyRef: 'env:K' });
      const error = await rejection(() => createModelProvider(profile, { secrets: { env: { K: 'k' } }, fetch: refuse, retry: { maxAttempts: 1 } }).complete({ messages: [{ role: 'user', content: 'hi' }] }));
      assert.equal((error as Error & { reason?: string }).reason, 'network');
      assert.equal(urls.length, 1);
      assert.match(urls[0]!, provider === 'openai' ? /^https:\/\/api\.openai\.com\/v1\// : /^https:\/\/generativelanguage\.googleapis\.com\//);
    });
  }
});

describe('createModelProvider', () => {
  it('refuses a CLI employee: its work runs through a worker, not a model API', () => {
    assert.throws(
      () => createModelProvider(employeeProfileSchema.parse({ name: 'c', provider: 'cli', model: 'script', command: ['./agent.sh'] })),
      (error: Error & { code?: string }) => error.code === 'invalid_input' && /not a model API/.test(error.message),
    );
  });
});
