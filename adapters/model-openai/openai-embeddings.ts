// EmbeddingProvider on OpenAI's /v1/embeddings through the `openai` SDK; also any OpenAI-compatible base URL.
import OpenAI from 'openai';
import { z } from 'zod';
import { AuraError } from '../../core/domain/errors';
import type { EmployeeProfile } from '../../core/workforce/employee';
import { runEmbeddingCall } from '../../core/workforce/embedding-call';
import type { EmbeddingProvider } from '../../core/workforce/embedding-provider';
import { type ModelProviderDeps, resolveProviderDeps } from '../../core/workforce/provider-deps';
import { resolveSecretRef, type Secret } from '../../core/workforce/secret-ref';
import { classifyOpenAIError, OPENAI_DEFAULT_BASE_URL } from './openai-provider';

const embeddingsSchema = z.object({
  data: z.array(z.object({ index: z.number().int(), embedding: z.array(z.number()) })),
  model: z.string().optional(),
  usage: z.object({ prompt_tokens: z.number() }).nullable().optional(),
});

export function createOpenAIEmbeddings(profile: EmployeeProfile, deps: ModelProviderDeps = {}): EmbeddingProvider {
  const resolved = resolveProviderDeps(deps);
  const baseURL = profile.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
  if (new URL(baseURL).hostname === 'api.openai.com' && !profile.apiKeyRef) {
    throw new AuraError('config', `Employee "${profile.name}": the OpenAI API needs apiKeyRef (env:OPENAI_API_KEY or file:/path).`, { details: { setting: 'apiKeyRef' } });
  }
  return {
    provider: 'openai',
    model: profile.model,
    async embed(request) {
      const secret: Secret | undefined = profile.apiKeyRef ? resolveSecretRef(profile.apiKeyRef, resolved.secrets) : undefined;
      return runEmbeddingCall({
        provider: 'openai',
        model: profile.model,
        request,
        costTable: profile.costTable,
        deps: resolved,
        secret,
        async attempt(context) {
          const client = new OpenAI({ apiKey: secret?.reveal() ?? 'no-key', baseURL, organization: null, project: null, maxRetries: 0, timeout: Math.max(1, Math.ceil(context.remainingMs)), fetch: context.fetch, logLevel: 'off' });
          // Floats, not the SDK's default base64: compatible servers often know only floats.
          const raw: unknown = await client.embeddings.create({ model: profile.model, input: request.texts, encoding_format: 'float' }, { signal: context.signal });
          const parsed = embeddingsSchema.safeParse(raw);
          if (!parsed.success) throw new SyntaxError(`the body is not an embeddings list (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`);
          const vectors = [...parsed.data.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
          return { vectors, tokensIn: parsed.data.usage?.prompt_tokens ?? 0, model: parsed.data.model };
        },
        classify: classifyOpenAIError,
      });
    },
  };
}
