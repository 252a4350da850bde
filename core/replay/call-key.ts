// The key a call is recorded under: sha256 of the canonical JSON of (provider, model, params), stable across processes.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import type { CompletionRequest } from '../workforce/model-provider';

export interface CallDescriptor {
  /** 'model' for a ModelProvider call, 'tool' for anything a worker runs (a command, a file write, ...). */
  kind: 'model' | 'tool';
  /** The model provider ('openai', ...) or, for a tool call, 'tool'. */
  provider: string;
  /** The model name or, for a tool call, the tool's name. */
  model: string;
  /** Everything that determines the answer, and nothing else (no signal, no deadline, never a secret). */
  params: unknown;
}

/** Canonical JSON sorts keys and drops undefined, so equal calls built in any order, anywhere, hash alike. */
export function callKey(call: Pick<CallDescriptor, 'provider' | 'model' | 'params'>): string {
  return createHash('sha256').update(canonicalJson({ provider: call.provider, model: call.model, params: call.params })).digest('hex');
}

/** The params of a completion request that determine its answer: signal and timeoutMs do not. */
export function completionParams(request: CompletionRequest): Record<string, unknown> {
  return {
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    jsonSchema: request.jsonSchema,
    temperature: request.temperature,
    maxTokens: request.maxTokens,
  };
}
