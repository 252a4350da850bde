// EmbeddingProvider on the Gemini API's batchEmbedContents through `@google/genai` (task type: document or query).
import { GoogleGenAI } from '@google/genai';
import { z } from 'zod';
import { AuraError } from '../../core/domain/errors';
import type { EmployeeProfile } from '../../core/workforce/employee';
import { runEmbeddingCall } from '../../core/workforce/embedding-call';
import type { EmbeddingProvider } from '../../core/workforce/embedding-provider';
import { type ModelProviderDeps, resolveProviderDeps } from '../../core/workforce/provider-deps';
import { resolveSecretRef } from '../../core/workforce/secret-ref';
import { classifyGeminiError, GEMINI_DEFAULT_BASE_URL } from './gemini-provider';

const embedSchema = z.object({ embeddings: z.array(z.object({ values: z.array(z.number()) })) });

export function createGeminiEmbeddings(profile: EmployeeProfile, deps: ModelProviderDeps = {}): EmbeddingProvider {
  const resolved = resolveProviderDeps(deps);
  if (!profile.apiKeyRef) throw new AuraError('config', `Employee "${profile.name}": the Gemini API needs apiKeyRef (env:GEMINI_API_KEY or file:/path).`, { details: { setting: 'apiKeyRef' } });
  const apiKeyRef = profile.apiKeyRef;
  return {
    provider: 'gemini',
    model: profile.model,
    async embed(request) {
      const secret = resolveSecretRef(apiKeyRef, resolved.secrets);
      return runEmbeddingCall({
        provider: 'gemini',
        model: profile.model,
        request,
        costTable: profile.costTable,
        deps: resolved,
        secret,
        async attempt(context) {
          const ai = new GoogleGenAI({ apiKey: secret.reveal(), vertexai: false, httpOptions: { baseUrl: profile.baseUrl ?? GEMINI_DEFAULT_BASE_URL, fetch: context.fetch } });
          const raw: unknown = await ai.models.embedContent({
            model: profile.model,
            contents: request.texts,
            config: { taskType: request.purpose === 'query' ? 'RETRIEVAL_QUERY' : 'RETRIEVAL_DOCUMENT', abortSignal: context.signal },
          });
          const parsed = embedSchema.safeParse(raw);
          if (!parsed.success) throw new SyntaxError(`the body is not a batchEmbedContents answer (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`);
          // The Gemini API reports no token usage for embeddings.
          return { vectors: parsed.data.embeddings.map((e) => e.values), tokensIn: 0 };
        },
        classify: classifyGeminiError,
      });
    },
  };
}
