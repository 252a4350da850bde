// The OpenAI stand-in: Chat Completions and Responses as api.openai.com speaks them (JSON and SSE, tool calls, response_format, usage, errors).
import { randomBytes } from 'node:crypto';
import { answerResponses, parseResponsesRequest, streamResponses } from './openai-responses-stand-in';
import { estimateTokens, type ProtocolRequest, type Scripted, type StandIn, type StandInOptions, startStandIn, type WireProtocol } from './stand-in-server';

const finishOf = { stop: 'stop', length: 'length', safety: 'content_filter' } as const;
const schemaName = /^[a-zA-Z0-9_-]{1,64}$/;

export const openaiProtocol: WireProtocol = {
  name: 'openai',
  // POST /v1/embeddings: input a string or an array of strings; data[i].embedding as floats (or base64 when asked).
  embeddings: {
    route: (method, path) => (method === 'POST' && /^(\/v1)?\/embeddings$/.test(path) ? {} : null),
    parse(body) {
      if (typeof body !== 'object' || body === null) return 'We could not parse the JSON body of your request.';
      const b = body as Record<string, unknown>;
      if (typeof b.model !== 'string' || !b.model) return 'you must provide a model parameter';
      const input = typeof b.input === 'string' ? [b.input] : b.input;
      if (!Array.isArray(input) || input.length === 0 || !input.every((t) => typeof t === 'string' && t.length > 0)) return "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";
      if (input.length > 2048) return "'$.input' is too long: at most 2048 inputs per request.";
      if (b.encoding_format !== undefined && b.encoding_format !== 'float' && b.encoding_format !== 'base64') return "Invalid value for 'encoding_format': expected 'float' or 'base64'.";
      return { model: b.model, texts: input as string[], base64: b.encoding_format === 'base64' } as { model: string; texts: string[] };
    },
    answer(vectors, request) {
      const base64 = (request as { base64?: boolean }).base64 === true;
      const tokens = request.texts.reduce((n, t) => n + estimateTokens(t), 0);
      return {
        status: 200,
        headers: { 'x-request-id': `req_${randomBytes(8).toString('hex')}` },
        body: {
          object: 'list',
          data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v })),
          model: request.model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        },
      };
    },
  },
  // The SDK posts to `${baseURL}/chat/completions` or `${baseURL}/responses`; baseURL conventionally ends in /v1, compatible servers vary.
  route(method, path) {
    const match = /^(?:\/v1)?\/(chat\/completions|responses)$/.exec(path);
    if (method !== 'POST' || !match) return null;
    return { endpoint: match[1] === 'responses' ? 'responses' : 'chat' };
  },
  keyOf: (headers) => /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1],
  parse(body, route) {
    if (route.endpoint === 'responses') return parseResponsesRequest(body);
    if (typeof body !== 'object' || body === null) return 'We could not parse the JSON body of your request.';
    const b = body as Record<string, unknown>;
    if (typeof b.model !== 'string' || !b.model) return "you must provide a model parameter";
    if (!Array.isArray(b.messages) || b.messages.length === 0) return "Invalid 'messages': empty array. Expected an array with minimum length 1.";
    for (const [i, m] of (b.messages as Array<Record<string, unknown>>).entries()) {
      if (!['system', 'user', 'assistant', 'developer', 'tool'].includes(String(m?.role))) return `Invalid value for 'messages[${i}].role'.`;
      // The real API takes an assistant message with tool_calls and no content (null or absent), as Qwen Code sends it.
      const toolCallsOnly = m.role === 'assistant' && Array.isArray(m.tool_calls) && (m.content === null || m.content === undefined);
      if (typeof m.content !== 'string' && !Array.isArray(m.content) && !toolCallsOnly) return `Invalid type for 'messages[${i}].content'.`;
    }
    const format = b.response_format as Record<string, unknown> | undefined;
    if (format !== undefined) {
      if (!['text', 'json_object', 'json_schema'].includes(String(format.type))) return "Invalid value for 'response_format.type'.";
      if (format.type === 'json_schema') {
        const js = format.json_schema as Record<string, unknown> | undefined;
        if (!js || typeof js.name !== 'string' || !schemaName.test(js.name)) return "Invalid 'response_format.json_schema.name': must match ^[a-zA-Z0-9_-]{1,64}$.";
        if (typeof js.schema !== 'object' || js.schema === null) return "Missing required parameter: 'response_format.json_schema.schema'.";
      }
      if (format.type === 'json_object' && !JSON.stringify(b.messages).toLowerCase().includes('json')) {
        return "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.";
      }
    }
    if (b.max_tokens !== undefined && b.max_completion_tokens !== undefined) return "max_tokens and max_completion_tokens cannot both be set.";
    const promptText = (b.messages as Array<{ content: unknown }>).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
    return { model: b.model, promptText, stream: b.stream === true, body: b, endpoint: 'chat' };
  },
  answer(scripted, request) {
    if (request.endpoint === 'responses') return answerResponses(scripted, request);
    const { tokensIn, tokensOut } = usageOf(scripted, request);
    const toolCalls = toolCallsOf(scripted);
    return {
      status: 200,
      headers: { 'x-request-id': `req_${randomBytes(8).toString('hex')}`, 'openai-processing-ms': '12' },
      body: {
        id: `chatcmpl-${randomBytes(12).toString('hex')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: scripted.model ?? request.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: scripted.finish === 'safety' || (toolCalls && !scripted.text) ? null : scripted.text,
              refusal: null,
              annotations: [],
              ...(toolCalls ? { tool_calls: toolCalls } : {}),
            },
            logprobs: null,
            finish_reason: finishReason(scripted),
          },
        ],
        usage: { prompt_tokens: tokensIn, completion_tokens: tokensOut, total_tokens: tokensIn + tokensOut },
        service_tier: 'default',
        system_fingerprint: 'fp_stand_in',
      },
    };
  },
  stream(scripted, request) {
    if (request.endpoint === 'responses') return streamResponses(scripted, request);
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const base = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: scripted.model ?? request.model, system_fingerprint: 'fp_stand_in' };
    const pieces = scripted.text.match(/[\s\S]{1,8}/g) ?? [];
    const chunks = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] }];
    for (const piece of pieces) chunks.push({ ...base, choices: [{ index: 0, delta: { content: piece } as never, logprobs: null, finish_reason: null }] });
    // A tool call streams as its id and name first, then its arguments' JSON in pieces, all under its index.
    for (const [index, call] of (toolCallsOf(scripted) ?? []).entries()) {
      chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] } as never, logprobs: null, finish_reason: null }] });
      for (const piece of call.function.arguments.match(/[\s\S]{1,16}/g) ?? []) {
        chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] } as never, logprobs: null, finish_reason: null }] });
      }
    }
    chunks.push({ ...base, choices: [{ index: 0, delta: {} as never, logprobs: null, finish_reason: finishReason(scripted) as never }] });
    const options = request.body.stream_options as { include_usage?: boolean } | undefined;
    const lines = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`);
    if (options?.include_usage) {
      const { tokensIn, tokensOut } = usageOf(scripted, request);
      lines.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: tokensIn, completion_tokens: tokensOut, total_tokens: tokensIn + tokensOut } })}\n\n`);
    }
    lines.push('data: [DONE]\n\n');
    return { contentType: 'text/event-stream; charset=utf-8', chunks: lines };
  },
  error(status, kind, message, retryAfter) {
    const bodies = {
      auth: { message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' },
      unknown_model: { message: `The model \`${message}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' },
      bad_request: { message: message ?? 'Bad request', type: 'invalid_request_error', code: null },
      rate_limited: { message: message ?? 'Rate limit reached for requests. Please try again shortly.', type: 'requests', code: 'rate_limit_exceeded' },
      server_error: { message: message ?? 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null },
      other: { message: message ?? `Error ${status}`, type: 'invalid_request_error', code: null },
    } as const;
    const headers: Record<string, string> = { 'x-request-id': `req_${randomBytes(8).toString('hex')}` };
    if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
    // A client of the real API is told not to retry a refused key (and the SDK reads this header).
    if (kind === 'auth') headers['x-should-retry'] = 'false';
    return { status, headers, body: { error: { ...bodies[kind], param: null } } };
  },
};

type Answer = Extract<Scripted, { kind: 'answer' }>;

function usageOf(scripted: Answer, request: ProtocolRequest) {
  return { tokensIn: scripted.tokensIn ?? estimateTokens(request.promptText), tokensOut: scripted.tokensOut ?? estimateTokens(scripted.text + JSON.stringify(scripted.toolCalls ?? '')) };
}

function toolCallsOf(scripted: Answer) {
  if (!scripted.toolCalls?.length) return undefined;
  return scripted.toolCalls.map((call) => ({ id: call.id ?? `call_${randomBytes(12).toString('base64url')}`, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } }));
}

function finishReason(scripted: Answer): string {
  return scripted.toolCalls?.length ? 'tool_calls' : finishOf[scripted.finish ?? 'stop'];
}

/** An OpenAI stand-in on 127.0.0.1 with an ephemeral port; point the SDK's baseURL at `${url}/v1`. */
export function startOpenAIStandIn(options: Omit<StandInOptions, 'protocol'> = {}): Promise<StandIn> {
  return startStandIn({ ...options, protocol: openaiProtocol });
}
