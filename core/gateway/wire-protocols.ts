// What the gateway knows of each provider wire protocol: its endpoints, where the key goes, its error shape.
import type { GatewayProtocol } from './model-gateway';

/** 'generate' calls cost tokens and are metered against the budget; the others are free look-ups passed through. */
export type EndpointKind = 'generate' | 'count' | 'list';

export interface Endpoint {
  kind: EndpointKind;
  /** The model, when the path names it (Gemini). */
  modelInPath?: string;
  /** Whether the path itself asks for a stream (Gemini's :streamGenerateContent). */
  streamPath?: boolean;
}

export interface WireProtocolFacts {
  /** The provider's public API, the SDK's default base URL (used when the profile names no baseUrl). */
  defaultUpstream: string;
  /** Whether method and path (below the protocol's prefix, e.g. /v1/messages) are an endpoint the gateway serves. */
  endpoint(method: string, path: string): Endpoint | null;
  /** The request header that carries the real key upstream, and its value. */
  keyHeader(key: string): [name: string, value: string];
  /**
   * Request fields that differ between two runs of the same agent on the same task (session ids, cache keys),
   * dropped from the replay key so a replayed attempt finds its calls. Paths into the JSON body.
   */
  volatileFields: ReadonlyArray<readonly string[]>;
  /** The protocol's error body, so the agent's SDK shows `message` as the API's own error. */
  errorBody(status: number, message: string): unknown;
}

const anthropicErrorType: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 402: 'billing_error', 403: 'permission_error', 404: 'not_found_error', 429: 'rate_limit_error', 502: 'api_error', 503: 'overloaded_error' };
const googleStatus: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 402: 'FAILED_PRECONDITION', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE' };
const openaiCode: Record<number, string> = { 401: 'invalid_api_key', 402: 'insufficient_quota', 404: 'unknown_url' };

export const wireProtocols: Readonly<Record<GatewayProtocol, WireProtocolFacts>> = {
  anthropic: {
    defaultUpstream: 'https://api.anthropic.com',
    endpoint(method, path) {
      if (method === 'POST' && path === '/v1/messages') return { kind: 'generate' };
      if (method === 'POST' && path === '/v1/messages/count_tokens') return { kind: 'count' };
      if (method === 'GET' && path === '/v1/models') return { kind: 'list' };
      return null;
    },
    keyHeader: (key) => ['x-api-key', key],
    // Claude Code puts its session id in metadata.user_id.
    volatileFields: [['metadata', 'user_id']],
    errorBody: (status, message) => ({ type: 'error', error: { type: anthropicErrorType[status] ?? 'api_error', message } }),
  },
  openai: {
    defaultUpstream: 'https://api.openai.com/v1',
    endpoint(method, path) {
      // The SDKs' base URL ends in /v1 (OPENAI_BASE_URL); the path below the prefix therefore starts with it.
      if (method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/responses')) return { kind: 'generate' };
      if (method === 'GET' && path === '/v1/models') return { kind: 'list' };
      return null;
    },
    keyHeader: (key) => ['authorization', `Bearer ${key}`],
    // Codex sends a per-session prompt cache key, its session, thread and turn ids in client_metadata, and a fresh id
    // for each input message; the Chat Completions `user` field carries ids in some agents.
    volatileFields: [['prompt_cache_key'], ['user'], ['metadata'], ['client_metadata'], ['input', '*', 'id']],
    errorBody: (status, message) => ({ error: { message, type: status === 402 ? 'insufficient_quota' : status === 401 ? 'invalid_request_error' : 'aura_gateway_error', param: null, code: openaiCode[status] ?? null } }),
  },
  gemini: {
    defaultUpstream: 'https://generativelanguage.googleapis.com',
    endpoint(method, path) {
      const match = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(path);
      if (method === 'POST' && match) {
        const model = decodeURIComponent(match[2]!);
        return match[3] === 'countTokens' ? { kind: 'count', modelInPath: model } : { kind: 'generate', modelInPath: model, streamPath: match[3] === 'streamGenerateContent' };
      }
      if (method === 'GET' && /^\/(v1|v1beta|v1alpha)\/models$/.test(path)) return { kind: 'list' };
      return null;
    },
    keyHeader: (key) => ['x-goog-api-key', key],
    // Gemini CLI names the function calls of an answer that carries no ids after the clock (write_file_<ms>_0), and
    // sends those names back with their results.
    volatileFields: [
      ['contents', '*', 'parts', '*', 'functionCall', 'id'],
      ['contents', '*', 'parts', '*', 'functionResponse', 'id'],
    ],
    errorBody: (status, message) => ({ error: { code: status, message, status: googleStatus[status] ?? 'UNKNOWN' } }),
  },
};

/** Where the gateway serves each protocol: the base URL an agent is given is the listener's origin plus this. */
export const protocolPrefixes: Readonly<Record<GatewayProtocol, string>> = { anthropic: '/anthropic', openai: '/openai', gemini: '/gemini' };

/** Headers a client may send its key (here: the gateway token) in; none of them is forwarded upstream. */
export const credentialHeaders = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'] as const;

/** The token the client presented, in whichever of the protocols' places it put it. */
export function presentedToken(headers: Readonly<Record<string, string | string[] | undefined>>, query: URLSearchParams): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1];
  const header = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
  return bearer ?? header('x-api-key') ?? header('x-goog-api-key') ?? header('api-key') ?? query.get('key') ?? undefined;
}

/** A copy of a request body without the protocol's volatile fields (the body itself is forwarded untouched). */
export function withoutVolatile(body: unknown, fields: ReadonlyArray<readonly string[]>): unknown {
  let out = body;
  for (const path of fields) out = dropPath(out, path);
  return out;
}

/** Removes the field at `path` (a `*` segment: every element of an array), copying only what it changes. */
function dropPath(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0 || typeof value !== 'object' || value === null) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '*') return Array.isArray(value) ? value.map((item) => dropPath(item, rest)) : value;
  if (Array.isArray(value) || !(head in value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0) delete copy[head];
  else copy[head] = dropPath(copy[head], rest);
  return copy;
}
