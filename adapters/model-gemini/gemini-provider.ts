// ModelProvider on the Gemini API's generateContent through `@google/genai` (the maintained successor of `@google/generative-ai`).
import { ApiError, GoogleGenAI } from '@google/genai';
import { z } from 'zod';
import { AuraError } from '../../core/domain/errors';
import type { EmployeeProfile } from '../../core/workforce/employee';
import { type AttemptAnswer, type Failure, runModelCall } from '../../core/workforce/model-call';
import { reasonForStatus } from '../../core/workforce/model-call-error';
import type { CompletionRequest, ModelProvider } from '../../core/workforce/model-provider';
import { type ModelProviderDeps, callEnvironment, resolveProviderDeps } from '../../core/workforce/provider-deps';
import { resolveSecretRef } from '../../core/workforce/secret-ref';
import { jsonOutputConfig } from './gemini-schema';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/';

/** The part of a GenerateContentResponse this adapter relies on. */
const responseSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(z.object({ text: z.string().optional(), thought: z.boolean().optional() })).optional() }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z
    .object({ promptTokenCount: z.number().optional(), candidatesTokenCount: z.number().optional(), thoughtsTokenCount: z.number().optional() })
    .optional(),
  modelVersion: z.string().optional(),
});

export function createGeminiProvider(profile: EmployeeProfile, deps: ModelProviderDeps = {}): ModelProvider {
  const resolved = resolveProviderDeps(deps);
  if (!profile.apiKeyRef) {
    throw new AuraError('config', `Employee "${profile.name}": the Gemini API needs apiKeyRef (env:GEMINI_API_KEY or file:/path).`, { details: { setting: 'apiKeyRef' } });
  }
  const apiKeyRef = profile.apiKeyRef;

  return {
    provider: 'gemini',
    model: profile.model,
    async complete(request) {
      const secret = resolveSecretRef(apiKeyRef, resolved.secrets);
      return runModelCall({
        provider: 'gemini',
        model: profile.model,
        request,
        costTable: profile.costTable,
        secret,
        ...callEnvironment(resolved),
        async attempt(context): Promise<AttemptAnswer> {
          const ai = new GoogleGenAI({
            apiKey: secret.reveal(),
            vertexai: false,
            // No retryOptions: the SDK then sends once, and runModelCall retries (counted, bounded, Retry-After honoured).
            // Always explicit: the SDK would otherwise take GOOGLE_GEMINI_BASE_URL from the server's environment.
            httpOptions: { baseUrl: profile.baseUrl ?? GEMINI_DEFAULT_BASE_URL, fetch: context.fetch },
          });
          const raw: unknown = await ai.models.generateContent({
            model: profile.model,
            contents: contents(request),
            config: { ...generationConfig(request), abortSignal: context.signal },
          });
          return toAnswer(raw);
        },
        classify: classifyGeminiError,
      });
    },
  };
}

/** Gemini has no system role: system messages become the systemInstruction, the assistant is the 'model'. */
function contents(request: CompletionRequest) {
  const turns = request.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] }));
  // The API refuses a request with no contents; a prompt made only of system text is sent as the user's turn.
  if (turns.length === 0) return [{ role: 'user', parts: [{ text: request.messages.map((m) => m.content).join('\n\n') }] }];
  return turns;
}

function generationConfig(request: CompletionRequest): Record<string, unknown> {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const onlySystem = request.messages.every((m) => m.role === 'system');
  return {
    ...(system.length && !onlySystem ? { systemInstruction: system.join('\n\n') } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
    ...(request.jsonSchema ? jsonOutputConfig(request.jsonSchema.schema) : {}),
    // One answer, no follow-up requests the SDK would make on its own.
    automaticContinuation: false,
  };
}

function toAnswer(raw: unknown): AttemptAnswer {
  const parsed = responseSchema.safeParse(raw);
  if (!parsed.success) throw new BadResponse(`the body is not a GenerateContentResponse (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`);
  const body = parsed.data;
  const candidate = body.candidates?.[0];
  if (!candidate) {
    if (body.promptFeedback?.blockReason) throw new Blocked(`the prompt was blocked (${body.promptFeedback.blockReason})`);
    throw new BadResponse('the answer has no candidates');
  }
  const text = (candidate.content?.parts ?? []).filter((p) => !p.thought).map((p) => p.text ?? '').join('');
  const usage = body.usageMetadata ?? {};
  return {
    text,
    finishReason: normaliseFinish(candidate.finishReason),
    tokensIn: usage.promptTokenCount ?? 0,
    // Thinking tokens are billed as output.
    tokensOut: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
    model: body.modelVersion,
  };
}

function normaliseFinish(reason: string | undefined): string {
  if (reason === undefined || reason === 'STOP') return 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  return reason.toLowerCase();
}

class BadResponse extends Error {
  override name = 'BadResponse';
}

class Blocked extends Error {
  override name = 'Blocked';
}

/** The google.rpc error body the SDK puts, as JSON, in ApiError's message. */
const rpcErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.object({ reason: z.string().optional(), retryDelay: z.string().optional() }).passthrough()).optional(),
  }),
});

export function classifyGeminiError(error: unknown): Failure {
  if (error instanceof BadResponse) return { reason: 'bad_response', message: error.message };
  if (error instanceof Blocked) return { reason: 'empty', message: error.message };
  if (error instanceof ApiError) {
    let body: z.infer<typeof rpcErrorSchema> | undefined;
    try {
      const parsed = rpcErrorSchema.safeParse(JSON.parse(error.message));
      body = parsed.success ? parsed.data : undefined;
    } catch {
      // Not the documented JSON body (a proxy's page): the raw message is all there is.
    }
    const detail = body?.error.message ?? error.message;
    const reasons = body?.error.details?.map((d) => d.reason ?? '') ?? [];
    // A wrong key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, not a 401, on the Gemini API.
    const reason = reasons.some((r) => r.startsWith('API_KEY_')) ? 'auth' : reasonForStatus(error.status);
    const delay = body?.error.details?.find((d) => d.retryDelay)?.retryDelay;
    const retryAfterMs = delay && /^\d+(\.\d+)?s$/.test(delay) ? Math.ceil(Number(delay.slice(0, -1)) * 1000) : undefined;
    return { reason, status: error.status, message: `HTTP ${error.status}${body?.error.status ? ` ${body.error.status}` : ''}: ${detail}`, retryAfterMs };
  }
  if (error instanceof SyntaxError) return { reason: 'bad_response', message: `the body is not JSON (${error.message})` };
  if (error instanceof Error) {
    const code = (error as Error & { cause?: { code?: string } }).cause?.code;
    return { reason: 'network', message: `the endpoint cannot be reached or broke off: ${code ?? error.message}` };
  }
  return { reason: 'bad_response', message: String(error) };
}
