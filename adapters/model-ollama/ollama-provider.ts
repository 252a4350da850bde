// ModelProvider on an Ollama server's /api/chat through the `ollama` SDK (local, or a remote one behind a bearer token).
import { Ollama } from 'ollama';
import { z } from 'zod';
import { AuraError } from '../../core/domain/errors';
import type { EmployeeProfile } from '../../core/workforce/employee';
import { type AttemptAnswer, type Failure, runModelCall } from '../../core/workforce/model-call';
import { reasonForStatus } from '../../core/workforce/model-call-error';
import type { CompletionRequest, ModelProvider } from '../../core/workforce/model-provider';
import { type ModelProviderDeps, callEnvironment, resolveProviderDeps } from '../../core/workforce/provider-deps';
import { resolveSecretRef, type Secret } from '../../core/workforce/secret-ref';

export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';

/** The part of an /api/chat answer this adapter relies on. */
const chatSchema = z.object({
  model: z.string().optional(),
  message: z.object({ content: z.string() }),
  done: z.boolean().optional(),
  done_reason: z.string().optional(),
  prompt_eval_count: z.number().optional(),
  eval_count: z.number().optional(),
});

export function createOllamaProvider(profile: EmployeeProfile, deps: ModelProviderDeps = {}): ModelProvider {
  const resolved = resolveProviderDeps(deps);
  const host = profile.baseUrl ?? OLLAMA_DEFAULT_HOST;
  // For ollama.com the SDK would otherwise take OLLAMA_API_KEY from the server's environment: keys come by reference only.
  if (new URL(host).hostname === 'ollama.com' && !profile.apiKeyRef) {
    throw new AuraError('config', `Employee "${profile.name}": ollama.com needs apiKeyRef (env:OLLAMA_API_KEY or file:/path).`, { details: { setting: 'apiKeyRef' } });
  }

  return {
    provider: 'ollama',
    model: profile.model,
    async complete(request) {
      // A local Ollama takes no key; one behind a proxy or on ollama.com takes a bearer token from apiKeyRef.
      const secret: Secret | undefined = profile.apiKeyRef ? resolveSecretRef(profile.apiKeyRef, resolved.secrets) : undefined;
      return runModelCall({
        provider: 'ollama',
        model: profile.model,
        request,
        costTable: profile.costTable,
        secret,
        ...callEnvironment(resolved),
        async attempt(context): Promise<AttemptAnswer> {
          // The SDK sends a non-streamed request without a signal; the fetch given here carries the call's.
          const client = new Ollama({ host, fetch: quietErrors(context.fetch), headers: secret ? { Authorization: `Bearer ${secret.reveal()}` } : undefined });
          const raw: unknown = await client.chat({ ...requestBody(profile.model, request), stream: false });
          return toAnswer(raw);
        },
        classify: classifyOllamaError,
      });
    },
  };
}

/**
 * The SDK console.logs while reading an error body that is not JSON; stdout may be a protocol (stdio MCP).
 * Such a body is handed to it as the JSON error Ollama itself would send, same status (the runner has
 * already seen the original status and headers).
 */
export function quietErrors(fetchFn: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchFn(input, init);
    if (response.ok) return response;
    const text = await response.text();
    try {
      const body = JSON.parse(text) as { error?: unknown };
      if (typeof body?.error === 'string') return new Response(text, { status: response.status, headers: { 'content-type': 'application/json' } });
    } catch {
      // Not JSON: wrapped below.
    }
    const error = text.trim().slice(0, 500) || `${response.status} ${response.statusText}`;
    return new Response(JSON.stringify({ error }), { status: response.status, headers: { 'content-type': 'application/json' } });
  };
}

function requestBody(model: string, request: CompletionRequest) {
  const options: { temperature?: number; num_predict?: number } = {};
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  return {
    model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    // Ollama constrains decoding to the schema itself (structured outputs, Ollama 0.5+).
    ...(request.jsonSchema ? { format: request.jsonSchema.schema } : {}),
    ...(Object.keys(options).length ? { options } : {}),
  };
}

function toAnswer(raw: unknown): AttemptAnswer {
  const parsed = chatSchema.safeParse(raw);
  if (!parsed.success) throw new BadResponse(`the body is not an /api/chat answer (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`);
  const body = parsed.data;
  if (body.done === false) throw new BadResponse('the answer ended before done: true');
  return {
    text: body.message.content,
    finishReason: body.done_reason ?? 'stop',
    tokensIn: body.prompt_eval_count ?? 0,
    tokensOut: body.eval_count ?? 0,
    model: body.model,
  };
}

class BadResponse extends Error {
  override name = 'BadResponse';
}

/** The SDK's ResponseError carries the HTTP status and the server's `error` text. */
interface OllamaResponseError extends Error {
  status_code: number;
  error: string;
}

function isResponseError(error: unknown): error is OllamaResponseError {
  return error instanceof Error && error.name === 'ResponseError' && typeof (error as Partial<OllamaResponseError>).status_code === 'number';
}

export function classifyOllamaError(error: unknown): Failure {
  if (error instanceof BadResponse) return { reason: 'bad_response', message: error.message };
  if (isResponseError(error)) {
    const status = error.status_code;
    // Ollama answers 404 both for an unknown model and an unknown path; only the former names "not found, try pulling".
    const reason = status === 404 && !/model/i.test(error.error) ? 'bad_request' : reasonForStatus(status);
    return { reason, status, message: `HTTP ${status}: ${error.error}` };
  }
  if (error instanceof SyntaxError) return { reason: 'bad_response', message: `the body is not JSON (${error.message})` };
  if (error instanceof Error) {
    const code = (error as Error & { cause?: { code?: string } }).cause?.code;
    return { reason: 'network', message: `the server cannot be reached or broke off: ${code ?? error.message}` };
  }
  return { reason: 'bad_response', message: String(error) };
}
