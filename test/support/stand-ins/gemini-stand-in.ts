// The Gemini stand-in: generateContent as the Gemini API (v1beta) speaks it (responseSchema, usageMetadata, google.rpc errors).
import { randomBytes } from 'node:crypto';
import { estimateTokens, type ProtocolRequest, type Scripted, type StandIn, type StandInOptions, startStandIn, type WireProtocol } from './stand-in-server';

const finishOf = { stop: 'STOP', length: 'MAX_TOKENS', safety: 'SAFETY' } as const;
const statusOf: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED' };
const schemaTypes = ['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL'];

export const geminiProtocol: WireProtocol = {
  name: 'gemini',
  route(method, path) {
    const match = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
    if (method !== 'POST' || !match) return null;
    return { modelInPath: decodeURIComponent(match[2]!), streamPath: match[3] === 'streamGenerateContent' };
  },
  keyOf: (headers, query) => (headers['x-goog-api-key'] as string | undefined) ?? query.key,
  parse(body, route) {
    if (typeof body !== 'object' || body === null) return 'Invalid JSON payload received.';
    const b = body as Record<string, unknown>;
    if (!Array.isArray(b.contents) || b.contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
    for (const [i, c] of (b.contents as Array<Record<string, unknown>>).entries()) {
      if (c.role !== undefined && c.role !== 'user' && c.role !== 'model') return `Please use a valid role: user, model. (contents[${i}])`;
      if (!Array.isArray(c.parts) || c.parts.length === 0) return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    }
    const config = (b.generationConfig ?? {}) as Record<string, unknown>;
    if (config.responseSchema !== undefined || config.responseJsonSchema !== undefined) {
      if (config.responseMimeType !== 'application/json' && config.responseMimeType !== 'text/x.enum') {
        return '* GenerateContentRequest.generation_config.response_mime_type: response_mime_type must be application/json or text/x.enum when response_schema is set.';
      }
    }
    if (config.responseSchema !== undefined) {
      const problem = checkGeminiSchema(config.responseSchema, 'response_schema');
      if (problem) return problem;
    }
    const texts = (b.contents as Array<{ parts: Array<{ text?: string }> }>).flatMap((c) => c.parts.map((p) => p.text ?? ''));
    const system = (b.systemInstruction as { parts?: Array<{ text?: string }> } | undefined)?.parts?.map((p) => p.text ?? '') ?? [];
    return { model: route.modelInPath ?? '', promptText: [...system, ...texts].join('\n'), stream: route.streamPath === true, body: b };
  },
  answer(scripted, request) {
    return { status: 200, body: responseBody(scripted, request, partsOf(scripted.text, scripted), true) };
  },
  stream(scripted, request) {
    // Text comes in pieces; function calls come whole, in the last chunk (as the API streams them).
    const pieces = scripted.text ? (scripted.text.match(/[\s\S]{1,8}/g) ?? []) : [];
    const bodies = pieces.map((piece) => partsOf(piece, undefined));
    if (scripted.toolCalls?.length) bodies.push(partsOf('', scripted));
    if (bodies.length === 0) bodies.push(partsOf('', undefined));
    const lines = bodies.map((parts, i) => `data: ${JSON.stringify(responseBody(scripted, request, parts, i === bodies.length - 1))}\r\n\r\n`);
    return { contentType: 'text/event-stream', chunks: lines };
  },
  error(status, kind, message, retryAfter) {
    if (kind === 'auth') {
      // What the Gemini API really answers for a wrong key: 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
      return {
        status: 400,
        body: {
          error: {
            code: 400,
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
            details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } }],
          },
        },
      };
    }
    const text = {
      unknown_model: `models/${message} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      bad_request: message ?? 'Request contains an invalid argument.',
      rate_limited: message ?? 'You exceeded your current quota, please check your plan and billing details.',
      server_error: message ?? (status === 503 ? 'The model is overloaded. Please try again later.' : 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'),
      other: message ?? `Error ${status}`,
    }[kind];
    const details = kind === 'rate_limited' && retryAfter !== undefined ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` }] : undefined;
    return { status, body: { error: { code: status, message: text, status: statusOf[status] ?? 'UNKNOWN', ...(details ? { details } : {}) } } };
  },
};

type Answer = Extract<Scripted, { kind: 'answer' }>;
type Part = { text: string } | { functionCall: { name: string; args: Record<string, unknown>; id?: string } };

/** A text part (when there is text, or nothing else) and the answer's function calls, when `calls` is given. */
function partsOf(text: string, calls: Answer | undefined): Part[] {
  const parts: Part[] = [];
  if (text || !calls?.toolCalls?.length) parts.push({ text });
  for (const call of calls?.toolCalls ?? []) parts.push({ functionCall: { name: call.name, args: call.arguments, ...(call.id ? { id: call.id } : {}) } });
  return parts;
}

function responseBody(scripted: Answer, request: ProtocolRequest, parts: Part[], last: boolean) {
  const tokensIn = scripted.tokensIn ?? estimateTokens(request.promptText);
  const tokensOut = scripted.tokensOut ?? estimateTokens(scripted.text + JSON.stringify(scripted.toolCalls ?? ''));
  const blocked = scripted.finish === 'safety';
  return {
    candidates: [
      {
        ...(blocked ? {} : { content: { parts, role: 'model' } }),
        ...(last ? { finishReason: finishOf[scripted.finish ?? 'stop'] } : {}),
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: tokensIn, candidatesTokenCount: tokensOut, totalTokenCount: tokensIn + tokensOut, promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokensIn }] },
    modelVersion: scripted.model ?? request.model,
    responseId: randomBytes(9).toString('base64url'),
  };
}

/** The OpenAPI-subset Schema the Gemini API accepts in response_schema: known types, known fields only. */
function checkGeminiSchema(schema: unknown, at: string): string | undefined {
  if (typeof schema !== 'object' || schema === null) return `* GenerateContentRequest.generation_config.${at}: must be an object`;
  const allowed = new Set(['type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required', 'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum']);
  for (const [key, value] of Object.entries(schema)) {
    if (!allowed.has(key)) return `Invalid JSON payload received. Unknown name "${key}" at 'generation_config.${at}': Cannot find field.`;
    if (key === 'type' && !schemaTypes.includes(String(value))) return `Invalid value at 'generation_config.${at}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), "${String(value)}"`;
    if (key === 'items') {
      const problem = checkGeminiSchema(value, `${at}.items`);
      if (problem) return problem;
    }
    if (key === 'properties') {
      for (const [name, sub] of Object.entries(value as Record<string, unknown>)) {
        const problem = checkGeminiSchema(sub, `${at}.properties[${name}].value`);
        if (problem) return problem;
      }
    }
    if (key === 'anyOf') {
      for (const [i, sub] of (value as unknown[]).entries()) {
        const problem = checkGeminiSchema(sub, `${at}.any_of[${i}]`);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

/** A Gemini stand-in on 127.0.0.1 with an ephemeral port; use its url as the SDK's httpOptions.baseUrl. */
export function startGeminiStandIn(options: Omit<StandInOptions, 'protocol'> = {}): Promise<StandIn> {
  return startStandIn({ ...options, protocol: geminiProtocol });
}
