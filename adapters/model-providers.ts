// Chooses the ModelProvider adapter for an employee's profile, and wraps it in the call recorder when one is given.
import { AuraError } from '../core/domain/errors';
import type { CallRecorder } from '../core/replay/call-recorder';
import { recording } from '../core/replay/recording-provider';
import type { EmployeeProfile } from '../core/workforce/employee';
import type { ModelProvider } from '../core/workforce/model-provider';
import type { ModelProviderDeps } from '../core/workforce/provider-deps';
import { createGeminiProvider } from './model-gemini/gemini-provider';
import { createOllamaProvider } from './model-ollama/ollama-provider';
import { createOpenAIProvider } from './model-openai/openai-provider';

export interface CreateModelProviderDeps extends ModelProviderDeps {
  /** When given, every call goes through it (record, replay or pass through, by its mode). */
  recorder?: CallRecorder;
}

/** The API providers; 'cli' and 'in-process' employees are workers, not model endpoints. */
export const apiProviders = ['ollama', 'openai', 'gemini'] as const;

export function createModelProvider(profile: EmployeeProfile, deps: CreateModelProviderDeps = {}): ModelProvider {
  const { recorder, ...providerDeps } = deps;
  let provider: ModelProvider;
  switch (profile.provider) {
    case 'ollama':
      provider = createOllamaProvider(profile, providerDeps);
      break;
    case 'openai':
      provider = createOpenAIProvider(profile, providerDeps);
      break;
    case 'gemini':
      provider = createGeminiProvider(profile, providerDeps);
      break;
    default:
      throw new AuraError('invalid_input', `Employee "${profile.name}" has provider "${profile.provider}", which is not a model API (expected one of ${apiProviders.join(', ')}); its work runs through a worker, not a ModelProvider.`);
  }
  return recorder ? recording(provider, recorder) : provider;
}
