// A scriptable stand-in HTTP server for a model API (the real ones are unreachable here): it speaks one provider's
// wire protocol, given by a WireProtocol, and plays queued behaviours: answers, HTTP errors, slowness, broken bodies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted behaviour for the next request the stand-in answers. */
export type Scripted =
  | {
      kind: 'answer';
      text: string;
      /** 'stop' (default), 'length' (cut off at the token limit), or 'safety' (blocked, no text). */
      finish?: 'stop' | 'length' | 'safety';
      tokensIn?: number;
      tokensOut?: number;
      /** The model name the answer reports (default: the one requested). */
      model?: string;
      /** Wait this long before answering (a slow model). */
      delayMs?: number;
      /** Tool (function) calls the answer makes after its text; the finish reason becomes the protocol's tool-use one. */
      toolCalls?: ScriptedToolCall[];
      /** Streamed answers: wait this long between chunks (to see a stream pass through as it arrives). */
      chunkDelayMs?: number;
    }
  | {
      kind: 'error';
      status: number;
      message?: string;
      /** Retry-After header value (seconds or a date). */
      retryAfter?: string;
      delayMs?: number;
      /** A body sent as it is instead of the API's error JSON (a proxy's HTML page), with this content type. */
      rawBody?: string;
      contentType?: string;
    }
  /** A 200 whose JSON body stops half-way and whose connection is then destroyed. */
  | { kind: 'truncated-body' }
  /** A 200 whose body is not the protocol at all. */
  | { kind: 'garbage'; body?: string; contentType?: string };

/** A tool call a scripted answer makes, as every protocol carries one: a name and JSON arguments. */
export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown>;
  /** The call's id (default: a random one in the protocol's own shape). */
  id?: string;
}

export interface ReceivedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** What the stand-in did with it. */
  outcome: string;
}

export interface WireResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** Parsed view of a request the protocol accepted. */
export interface ProtocolRequest {
  model: string;
  /** Text of all messages, for the stand-in's token estimate. */
  promptText: string;
  stream: boolean;
  body: Record<string, unknown>;
  /** The route's endpoint, for protocols with several. */
  endpoint?: string;
}

export interface RouteMatch {
  /** The model, where the API names it in the path (Gemini). */
  modelInPath?: string;
  /** Whether the path itself asks for a stream (Gemini's :streamGenerateContent). */
  streamPath?: boolean;
  /** Which of the API's endpoints it is, where a protocol has several (OpenAI's 'chat' and 'responses'). */
  endpoint?: string;
}

/** What a provider's stand-in must know of its wire protocol. */
export interface WireProtocol {
  readonly name: string;
  /** Whether the method and path are this API's completion endpoint, and what the path says. */
  route(method: string, path: string): RouteMatch | null;
  /** The key the client sent, or undefined when none. */
  keyOf(headers: http.IncomingHttpHeaders, query: Record<string, string>): string | undefined;
  /** Parses and checks the body as the real API would; a string is the 400 message for a request the API would refuse. */
  parse(body: unknown, route: RouteMatch): ProtocolRequest | string;
  answer(scripted: Extract<Scripted, { kind: 'answer' }>, request: ProtocolRequest): WireResponse;
  /** The streamed form of an answer: chunks written as they are (SSE or NDJSON lines), with the content type. */
  stream?(scripted: Extract<Scripted, { kind: 'answer' }>, request: ProtocolRequest): { contentType: string; chunks: string[] };
  error(status: number, kind: 'auth' | 'unknown_model' | 'bad_request' | 'rate_limited' | 'server_error' | 'other', message: string | undefined, retryAfter?: string): WireResponse;
}

export interface StandInOptions {
  protocol: WireProtocol;
  /** When set, requests must carry this key (as the real API expects it); others get the API's auth error. */
  apiKey?: string;
  /** When set, other models get the API's unknown-model error. */
  models?: readonly string[];
  /** What to do when nothing is queued (default: a 503 saying so). */
  fallback?: (request: ProtocolRequest) => Scripted;
  host?: string;
  port?: number;
}

export interface StandIn {
  readonly name: string;
  /** http://127.0.0.1:PORT (no path). */
  readonly url: string;
  readonly calls: ReceivedCall[];
  enqueue(...scripted: Scripted[]): void;
  /** Scripts not yet played. */
  pending(): number;
  reset(): void;
  close(): Promise<void>;
}

const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
export { estimateTokens };

/** Starts the stand-in on an ephemeral port of 127.0.0.1 (or the given one). */
export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const queue: Scripted[] = [];
  const calls: ReceivedCall[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const { protocol } = options;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error) => {
        if (!res.headersSent) send(res, { status: 500, body: { error: `stand-in failure: ${(error as Error).message}` } });
        else res.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const query = Object.fromEntries(url.searchParams.entries());
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // Left as text: the protocol's parse() refuses it as the real API would.
    }
    const call: ReceivedCall = { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers, body, outcome: '' };

    if (url.pathname.startsWith('/_stand-in/')) return control(url.pathname, body, res);
    calls.push(call);

    const route = protocol.route(call.method, url.pathname);
    if (!route) {
      call.outcome = 'no route';
      return send(res, { status: 404, body: { error: `stand-in (${protocol.name}): no endpoint ${call.method} ${url.pathname}` } });
    }
    if (options.apiKey !== undefined && protocol.keyOf(req.headers, query) !== options.apiKey) {
      call.outcome = 'auth';
      return send(res, protocol.error(401, 'auth', undefined));
    }
    const parsed = protocol.parse(body, route);
    if (typeof parsed === 'string') {
      call.outcome = 'bad request';
      return send(res, protocol.error(400, 'bad_request', parsed));
    }
    if (options.models && !options.models.includes(parsed.model)) {
      call.outcome = 'unknown model';
      return send(res, protocol.error(404, 'unknown_model', parsed.model));
    }
    const scripted = queue.shift() ?? options.fallback?.(parsed) ?? { kind: 'error', status: 503, message: 'stand-in: no scripted response queued' };
    call.outcome = scripted.kind === 'error' ? `error ${scripted.status}` : scripted.kind;
    if ('delayMs' in scripted && scripted.delayMs) await delay(scripted.delayMs, req);
    if (res.destroyed) return;
    switch (scripted.kind) {
      case 'answer': {
        if (parsed.stream && protocol.stream) {
          const streamed = protocol.stream(scripted, parsed);
          res.writeHead(200, { 'content-type': streamed.contentType, 'cache-control': 'no-cache' });
          for (const chunk of streamed.chunks) {
            if (scripted.chunkDelayMs) await delay(scripted.chunkDelayMs, req);
            if (res.destroyed) return;
            res.write(chunk);
          }
          return void res.end();
        }
        return send(res, protocol.answer(scripted, parsed));
      }
      case 'error': {
        if (scripted.rawBody !== undefined) {
          res.writeHead(scripted.status, { 'content-type': scripted.contentType ?? 'text/html', ...(scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {}) });
          return void res.end(scripted.rawBody);
        }
        const kind = scripted.status === 429 ? 'rate_limited' : scripted.status >= 500 ? 'server_error' : scripted.status === 401 ? 'auth' : scripted.status === 404 ? 'unknown_model' : 'other';
        return send(res, protocol.error(scripted.status, kind, scripted.message, scripted.retryAfter));
      }
      case 'truncated-body': {
        const whole = JSON.stringify(protocol.answer({ kind: 'answer', text: '{"partial": "this body never ends'.repeat(4) }, parsed).body);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(whole)) });
        res.write(whole.slice(0, Math.floor(whole.length / 2)));
        // Give the half a moment to reach the client, then cut the connection as a crashed proxy would.
        setTimeout(() => res.destroy(), 20);
        return;
      }
      case 'garbage': {
        res.writeHead(200, { 'content-type': scripted.contentType ?? 'application/json' });
        return void res.end(scripted.body ?? '<html><body>502 Bad Gateway</body></html>');
      }
    }
  }

  function control(path: string, body: unknown, res: http.ServerResponse): void {
    if (path === '/_stand-in/enqueue') {
      const list = (body as { scripts?: Scripted[] } | undefined)?.scripts;
      if (!Array.isArray(list)) return send(res, { status: 400, body: { error: 'expected {"scripts": [...]}' } });
      queue.push(...list);
      return send(res, { status: 200, body: { pending: queue.length } });
    }
    if (path === '/_stand-in/calls') return send(res, { status: 200, body: { calls: calls.map(({ headers, ...c }) => ({ ...c, headers: redactHeaders(headers) })) } });
    if (path === '/_stand-in/reset') {
      queue.length = 0;
      calls.length = 0;
      return send(res, { status: 200, body: { ok: true } });
    }
    send(res, { status: 404, body: { error: 'unknown stand-in control path' } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    name: `${protocol.name} stand-in`,
    url: `http://${host}:${address.port}`,
    calls,
    enqueue: (...scripted) => void queue.push(...scripted),
    pending: () => queue.length,
    reset() {
      queue.length = 0;
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, response: WireResponse): void {
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', ...response.headers });
  res.end(text);
}

/** Waits, but stops early when the client goes away (an aborted request). */
function delay(ms: number, req: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    req.socket.once('close', done);
    function done() {
      clearTimeout(timer);
      req.socket.off('close', done);
      resolve();
    }
  });
}

/** The call log served over HTTP never shows a key, even a wrong one. */
function redactHeaders(headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of ['authorization', 'x-goog-api-key', 'x-api-key', 'api-key']) if (out[name]) out[name] = '[redacted]';
  return out;
}
