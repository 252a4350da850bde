// EmbeddingProvider on an Ollama server's /api/embed through the `ollama` SDK.
import { Ollama } from 'ollama';
import { z } from 'zod';
import { AuraError } from '../../core/domain/errors';
import type { EmployeeProfile } from '../../core/workforce/employee';
import { runEmbeddingCall } from '../../core/workforce/embedding-call';
import type { EmbeddingProvider } from '../../core/workforce/embedding-provider';
import { type ModelProviderDeps, resolveProviderDeps } from '../../core/workforce/provider-deps';
import { resolveSecretRef, type Secret } from '../../core/workforce/secret-ref';
import { classifyOllamaError, OLLAMA_DEFAULT_HOST, quietErrors } from './ollama-provider';

const embedSchema = z.object({ model: z.string().optional(), embeddings: z.array(z.array(z.number())), prompt_eval_count: z.number().optional() });

export function createOllamaEmbeddings(profile: EmployeeProfile, deps: ModelProviderDeps = {}): EmbeddingProvider {
  const resolved = resolveProviderDeps(deps);
  const host = profile.baseUrl ?? OLLAMA_DEFAULT_HOST;
  if (new URL(host).hostname === 'ollama.com' && !profile.apiKeyRef) {
    throw new AuraError('config', `Employee "${profile.name}": ollama.com needs apiKeyRef (env:OLLAMA_API_KEY or file:/path).`, { details: { setting: 'apiKeyRef' } });
  }
  return {
    provider: 'ollama',
    model: profile.model,
    async embed(request) {
      const secret: Secret | undefined = profile.apiKeyRef ? resolveSecretRef(profile.apiKeyRef, resolved.secrets) : undefined;
      return runEmbeddingCall({
        provider: 'ollama',
        model: profile.model,
        request,
        costTable: profile.costTable,
        deps: resolved,
        secret,
        async attempt(context) {
          const client = new Ollama({ host, fetch: quietErrors(context.fetch), headers: secret ? { Authorization: `Bearer ${secret.reveal()}` } : undefined });
          const parsed = embedSchema.safeParse(await client.embed({ model: profile.model, input: request.texts }));
          if (!parsed.success) throw new SyntaxError(`the body is not an /api/embed answer (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`);
          return { vectors: parsed.data.embeddings, tokensIn: parsed.data.prompt_eval_count ?? 0, model: parsed.data.model };
        },
        classify: classifyOllamaError,
      });
    },
  };
}
