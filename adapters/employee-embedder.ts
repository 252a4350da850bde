// The embedding model of memory's semantic search, as a hired employee found by name at each call (like the planner):
// its profile picks the OpenAI-compatible, Ollama or Gemini embeddings adapter, and keys stay behind apiKeyRef.
import { AuraError } from '../core/domain/errors';
import type { Employee, EmployeeProfile } from '../core/workforce/employee';
import { canReceiveWork } from '../core/workforce/employee';
import type { EmployeeRegistry } from '../core/workforce/employee-registry';
import type { EmbeddingProvider, EmbeddingRequest } from '../core/workforce/embedding-provider';
import type { ModelProviderDeps } from '../core/workforce/provider-deps';
import { createGeminiEmbeddings } from './model-gemini/gemini-embeddings';
import { createOllamaEmbeddings } from './model-ollama/ollama-embeddings';
import { createOpenAIEmbeddings } from './model-openai/openai-embeddings';

export function createEmbeddingProvider(profile: EmployeeProfile, deps: ModelProviderDeps = {}): EmbeddingProvider {
  switch (profile.provider) {
    case 'openai':
      return createOpenAIEmbeddings(profile, deps);
    case 'ollama':
      return createOllamaEmbeddings(profile, deps);
    case 'gemini':
      return createGeminiEmbeddings(profile, deps);
    default:
      throw new AuraError('config', `The embedding employee "${profile.name}" is a ${profile.provider} employee; it must be an openai, ollama or gemini employee.`);
  }
}

/**
 * `model` is the employee's name until its profile is read: the stored embeddings are marked with the profile's
 * model once known, so changing the employee's model re-embeds everything instead of mixing two vector spaces.
 */
export function createEmployeeEmbedder(options: { name: string; employees: Pick<EmployeeRegistry, 'list'>; deps?: ModelProviderDeps }): EmbeddingProvider {
  const { name, employees, deps } = options;
  let cached: { employee: Employee; provider: EmbeddingProvider } | undefined;
  const resolve = async (): Promise<EmbeddingProvider> => {
    const employee = (await employees.list()).find((e) => e.profile.name === name);
    if (!employee) throw new AuraError('config', `Memory embeds through the employee "${name}" (AURA_MEMORY_EMBEDDING_EMPLOYEE), but no employee has that name. Hire it, or unset the setting.`);
    if (!canReceiveWork(employee.status)) throw new AuraError('unavailable', `The embedding employee "${name}" is ${employee.status}; it cannot be asked.`, { retryable: false });
    if (!cached || cached.employee.id !== employee.id || JSON.stringify(cached.employee.profile) !== JSON.stringify(employee.profile)) {
      cached = { employee, provider: createEmbeddingProvider(employee.profile, deps) };
    }
    return cached.provider;
  };
  return {
    provider: `employee:${name}`,
    get model() {
      return cached ? `${cached.employee.profile.provider}/${cached.employee.profile.model}` : `employee:${name}`;
    },
    async embed(request: EmbeddingRequest) {
      return (await resolve()).embed(request);
    },
  };
}
