// The Ollama stand-in: POST /api/chat as an Ollama server speaks it (one JSON or NDJSON stream, format, eval counts, errors).
import { estimateTokens, type StandIn, type StandInOptions, startStandIn, type WireProtocol } from './stand-in-server';

const doneReasonOf = { stop: 'stop', length: 'length', safety: 'stop' } as const;

export const ollamaProtocol: WireProtocol = {
  name: 'ollama',
  // POST /api/embed: input a string or an array of strings; embeddings as arrays, prompt_eval_count for tokens.
  embeddings: {
    route: (method, path) => (method === 'POST' && path === '/api/embed' ? {} : null),
    parse(body) {
      if (typeof body !== 'object' || body === null) return 'invalid character looking for beginning of value';
      const b = body as Record<string, unknown>;
      if (typeof b.model !== 'string' || !b.model) return 'model is required';
      const input = typeof b.input === 'string' ? [b.input] : b.input;
      if (!Array.isArray(input) || !input.every((t) => typeof t === 'string')) return 'invalid input type';
      return { model: b.model, texts: input as string[] };
    },
    answer: (vectors, request) => ({
      status: 200,
      body: { model: request.model, embeddings: vectors, total_duration: 1_000_000, load_duration: 10_000, prompt_eval_count: request.texts.reduce((n, t) => n + estimateTokens(t), 0) },
    }),
  },
  route: (method, path) => (method === 'POST' && path === '/api/chat' ? {} : null),
  // A local Ollama needs no key; ollama.com and proxies in front of Ollama take a bearer token.
  keyOf: (headers) => /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1],
  parse(body) {
    if (typeof body !== 'object' || body === null) return 'invalid character looking for beginning of value';
    const b = body as Record<string, unknown>;
    if (typeof b.model !== 'string' || !b.model) return 'model is required';
    if (b.messages !== undefined && !Array.isArray(b.messages)) return 'json: cannot unmarshal object into Go struct field ChatRequest.messages of type []api.Message';
    const messages = (b.messages ?? []) as Array<Record<string, unknown>>;
    for (const m of messages) {
      if (!['system', 'user', 'assistant', 'tool'].includes(String(m.role))) return `invalid role: ${String(m.role)}`;
    }
    if (b.format !== undefined && b.format !== 'json' && (typeof b.format !== 'object' || b.format === null)) return `invalid format: ${JSON.stringify(b.format)}`;
    return {
      model: b.model,
      promptText: messages.map((m) => String(m.content ?? '')).join('\n'),
      // Ollama streams unless told otherwise.
      stream: b.stream !== false,
      body: b,
    };
  },
  answer(scripted, request) {
    const tokensIn = scripted.tokensIn ?? estimateTokens(request.promptText);
    const tokensOut = scripted.tokensOut ?? estimateTokens(scripted.text);
    return {
      status: 200,
      body: {
        model: scripted.model ?? request.model,
        created_at: new Date().toISOString(),
        message: { role: 'assistant', content: scripted.finish === 'safety' ? '' : scripted.text },
        done: true,
        done_reason: doneReasonOf[scripted.finish ?? 'stop'],
        total_duration: 4_883_583_458,
        load_duration: 1_334_875,
        prompt_eval_count: tokensIn,
        prompt_eval_duration: 342_546_000,
        eval_count: tokensOut,
        eval_duration: 4_535_599_000,
      },
    };
  },
  stream(scripted, request) {
    const final = this.answer(scripted, request).body as Record<string, unknown>;
    const pieces = scripted.text.match(/[\s\S]{1,8}/g) ?? [];
    const lines = pieces.map((piece) => JSON.stringify({ model: final.model, created_at: final.created_at, message: { role: 'assistant', content: piece }, done: false }) + '\n');
    lines.push(JSON.stringify({ ...final, message: { role: 'assistant', content: '' } }) + '\n');
    return { contentType: 'application/x-ndjson', chunks: lines };
  },
  error(status, kind, message, retryAfter) {
    const text = {
      auth: 'unauthorized',
      unknown_model: `model "${message}" not found, try pulling it first`,
      bad_request: message ?? 'bad request',
      rate_limited: message ?? 'too many requests',
      server_error: message ?? 'llama runner process has terminated: exit status 2',
      other: message ?? `error ${status}`,
    }[kind];
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
    return { status, headers, body: { error: text } };
  },
};

/** An Ollama stand-in on 127.0.0.1 with an ephemeral port; use its url as the SDK's host. */
export function startOllamaStandIn(options: Omit<StandInOptions, 'protocol'> = {}): Promise<StandIn> {
  return startStandIn({ ...options, protocol: ollamaProtocol });
}
