// ModelProvider on OpenAI Chat Completions through the `openai` SDK; also any OpenAI-compatible base URL (vLLM, LM Studio, ...).
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { AuraError } from '../../core/domain/errors';
import type { EmployeeProfile } from '../../core/workforce/employee';
import { type AttemptAnswer, type Failure, runModelCall } from '../../core/workforce/model-call';
import { reasonForStatus } from '../../core/workforce/model-call-error';
import type { CompletionRequest, ModelProvider } from '../../core/workforce/model-provider';
import { type ModelProviderDeps, callEnvironment, resolveProviderDeps } from '../../core/workforce/provider-deps';
import { resolveSecretRef, type Secret } from '../../core/workforce/secret-ref';
import { isStrictSchema, schemaNameFor } from './openai-schema';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The part of a chat completion this adapter relies on; anything else in the body is ignored. */
const completionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }),
        finish_reason: z.string().nullable(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullable().optional(),
});

export function createOpenAIProvider(profile: EmployeeProfile, deps: ModelProviderDeps = {}): ModelProvider {
  const resolved = resolveProviderDeps(deps);
  const baseURL = profile.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
  const official = new URL(baseURL).hostname === 'api.openai.com';
  if (official && !profile.apiKeyRef) {
    throw new AuraError('config', `Employee "${profile.name}": the OpenAI API needs apiKeyRef (env:OPENAI_API_KEY or file:/path).`, { details: { setting: 'apiKeyRef' } });
  }

  return {
    provider: 'openai',
    model: profile.model,
    async complete(request) {
      // Resolved now, not at hire: a rotated key takes effect on the next call, and no copy outlives the call.
      const secret: Secret | undefined = profile.apiKeyRef ? resolveSecretRef(profile.apiKeyRef, resolved.secrets) : undefined;
      return runModelCall({
        provider: 'openai',
        model: profile.model,
        request,
        costTable: profile.costTable,
        secret,
        ...callEnvironment(resolved),
        async attempt(context): Promise<AttemptAnswer> {
          const client = new OpenAI({
            // Compatible servers without auth still need a non-empty key for the SDK; this one means "none".
            apiKey: secret?.reveal() ?? 'no-key',
            baseURL,
            organization: null,
            project: null,
            maxRetries: 0, // retries are runModelCall's, so they are counted, bounded and honour Retry-After alike
            timeout: Math.max(1, Math.ceil(context.remainingMs)),
            fetch: context.fetch,
            logLevel: 'off',
          });
          const raw = await client.chat.completions.create(requestBody(profile.model, request, official), { signal: context.signal });
          return toAnswer(raw);
        },
        classify: classifyOpenAIError,
      });
    },
  };
}

function requestBody(model: string, request: CompletionRequest, official: boolean): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  // api.openai.com wants max_completion_tokens (its reasoning models refuse max_tokens); compatible servers mostly know only max_tokens.
  if (request.maxTokens !== undefined) {
    if (official) body.max_completion_tokens = request.maxTokens;
    else body.max_tokens = request.maxTokens;
  }
  if (request.jsonSchema) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: schemaNameFor(request.jsonSchema.name), schema: request.jsonSchema.schema, strict: isStrictSchema(request.jsonSchema.schema) },
    };
  }
  return body;
}

function toAnswer(raw: unknown): AttemptAnswer {
  const parsed = completionSchema.safeParse(raw);
  if (!parsed.success) throw new BadResponse(`the body is not a chat completion (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`);
  const choice = parsed.data.choices[0]!;
  if (choice.message.refusal) throw new Refusal(choice.message.refusal);
  return {
    text: choice.message.content ?? '',
    finishReason: choice.finish_reason ?? 'unknown',
    tokensIn: parsed.data.usage?.prompt_tokens ?? 0,
    tokensOut: parsed.data.usage?.completion_tokens ?? 0,
    model: parsed.data.model,
  };
}

/** The model declined (structured outputs report a refusal instead of content): no text to use. */
class Refusal extends Error {
  override name = 'Refusal';
}

class BadResponse extends Error {
  override name = 'BadResponse';
}

export function classifyOpenAIError(error: unknown): Failure {
  if (error instanceof BadResponse) return { reason: 'bad_response', message: error.message };
  if (error instanceof Refusal) return { reason: 'empty', message: `the model refused: ${error.message}` };
  if (error instanceof APIConnectionTimeoutError) return { reason: 'timeout', message: 'the endpoint did not answer in time' };
  if (error instanceof APIConnectionError) return { reason: 'network', message: `the endpoint cannot be reached: ${describeConnection(error)}` };
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = (error.error ?? {}) as { message?: unknown; code?: unknown };
    const detail = typeof body.message === 'string' ? body.message : error.message;
    const reason = error.status === 404 && body.code !== 'model_not_found' && !/model/i.test(detail) ? 'bad_request' : reasonForStatus(error.status);
    return { reason, status: error.status, message: `HTTP ${error.status}: ${detail}` };
  }
  if (error instanceof SyntaxError) return { reason: 'bad_response', message: `the body is not JSON (${error.message})` };
  if (error instanceof Error) return { reason: 'network', message: `the answer broke off: ${error.message}` };
  return { reason: 'bad_response', message: String(error) };
}

function describeConnection(error: APIConnectionError): string {
  const cause = error.cause as (Error & { code?: string; cause?: { code?: string } }) | undefined;
  return cause?.cause?.code ?? cause?.code ?? cause?.message ?? error.message;
}
