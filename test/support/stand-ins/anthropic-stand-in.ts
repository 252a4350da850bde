// The Anthropic stand-in: the Messages API (POST /v1/messages) as api.anthropic.com speaks it (JSON and SSE, tool_use, usage, errors).
import { randomBytes } from 'node:crypto';
import { estimateTokens, type ProtocolRequest, type Scripted, type StandIn, type StandInOptions, startStandIn, type WireProtocol } from './stand-in-server';

type Answer = Extract<Scripted, { kind: 'answer' }>;

const stopOf = { stop: 'end_turn', length: 'max_tokens', safety: 'refusal' } as const;
const errorTypeOf: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };

export const anthropicProtocol: WireProtocol = {
  name: 'anthropic',
  route: (method, path) => (method === 'POST' && path === '/v1/messages' ? {} : null),
  // An API key comes as x-api-key; ANTHROPIC_AUTH_TOKEN (an OAuth or gateway token) as a bearer token.
  keyOf: (headers) => (headers['x-api-key'] as string | undefined) ?? /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1],
  parse(body) {
    if (typeof body !== 'object' || body === null) return 'Invalid JSON in request body';
    const b = body as Record<string, unknown>;
    if (typeof b.model !== 'string' || !b.model) return 'model: Field required';
    if (typeof b.max_tokens !== 'number') return 'max_tokens: Field required';
    if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages: at least one message is required';
    for (const [i, m] of (b.messages as Array<Record<string, unknown>>).entries()) {
      if (m?.role !== 'user' && m?.role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
      if (typeof m.content !== 'string' && !Array.isArray(m.content)) return `messages.${i}.content: Input should be a valid list`;
    }
    if (b.tools !== undefined && !Array.isArray(b.tools)) return 'tools: Input should be a valid list';
    const system = typeof b.system === 'string' ? b.system : Array.isArray(b.system) ? (b.system as Array<{ text?: string }>).map((s) => s.text ?? '').join('\n') : '';
    const texts = (b.messages as Array<{ content: unknown }>).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
    return { model: b.model, promptText: [system, ...texts].join('\n'), stream: b.stream === true, body: b };
  },
  answer(scripted, request) {
    const { tokensIn, tokensOut } = usageOf(scripted, request);
    return {
      status: 200,
      headers: { 'request-id': `req_${randomBytes(12).toString('hex')}` },
      body: {
        ...messageShell(scripted, request),
        content: contentOf(scripted),
        stop_reason: stopReason(scripted),
        usage: { input_tokens: tokensIn, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: tokensOut, service_tier: 'standard' },
      },
    };
  },
  stream(scripted, request) {
    const { tokensIn, tokensOut } = usageOf(scripted, request);
    const events: Array<[string, unknown]> = [
      ['message_start', { type: 'message_start', message: { ...messageShell(scripted, request), content: [], stop_reason: null, usage: { input_tokens: tokensIn, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard' } } }],
      ['ping', { type: 'ping' }],
    ];
    for (const [index, block] of contentOf(scripted).entries()) {
      if (block.type === 'text') {
        events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
        for (const piece of pieces(block.text)) events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }]);
      } else {
        events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }]);
        for (const piece of pieces(JSON.stringify(block.input), 16)) events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }]);
      }
      events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    }
    events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: stopReason(scripted), stop_sequence: null }, usage: { output_tokens: tokensOut } }]);
    events.push(['message_stop', { type: 'message_stop' }]);
    return { contentType: 'text/event-stream; charset=utf-8', chunks: events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`) };
  },
  error(status, kind, message, retryAfter) {
    const text = {
      auth: 'invalid x-api-key',
      unknown_model: `model: ${message}`,
      bad_request: message ?? 'Bad request',
      rate_limited: message ?? 'Number of request tokens has exceeded your per-minute rate limit.',
      server_error: message ?? (status === 529 ? 'Overloaded' : 'Internal server error'),
      other: message ?? `Error ${status}`,
    }[kind];
    const headers: Record<string, string> = { 'request-id': `req_${randomBytes(12).toString('hex')}` };
    if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
    if (kind === 'auth') headers['x-should-retry'] = 'false';
    return { status, headers, body: { type: 'error', error: { type: errorTypeOf[status] ?? 'api_error', message: text } } };
  },
};

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function contentOf(scripted: Answer): Block[] {
  const blocks: Block[] = [];
  if (scripted.finish !== 'safety' && (scripted.text || !scripted.toolCalls?.length)) blocks.push({ type: 'text', text: scripted.text });
  for (const call of scripted.toolCalls ?? []) blocks.push({ type: 'tool_use', id: call.id ?? `toolu_${randomBytes(12).toString('base64url')}`, name: call.name, input: call.arguments });
  return blocks;
}

function stopReason(scripted: Answer): string {
  return scripted.toolCalls?.length ? 'tool_use' : stopOf[scripted.finish ?? 'stop'];
}

function messageShell(scripted: Answer, request: ProtocolRequest) {
  return { id: `msg_${randomBytes(12).toString('base64url')}`, type: 'message', role: 'assistant', model: scripted.model ?? request.model, stop_sequence: null };
}

function usageOf(scripted: Answer, request: ProtocolRequest) {
  return { tokensIn: scripted.tokensIn ?? estimateTokens(request.promptText), tokensOut: scripted.tokensOut ?? estimateTokens(scripted.text + JSON.stringify(scripted.toolCalls ?? '')) };
}

function pieces(text: string, size = 8): string[] {
  return text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
}

/** An Anthropic stand-in on 127.0.0.1 with an ephemeral port; use its url as the SDK's baseURL (ANTHROPIC_BASE_URL). */
export function startAnthropicStandIn(options: Omit<StandInOptions, 'protocol'> = {}): Promise<StandIn> {
  return startStandIn({ ...options, protocol: anthropicProtocol });
}
