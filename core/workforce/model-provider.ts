// The ModelProvider port: one chat completion, optionally constrained to JSON (planner, reviewer, employees).

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  /** A JSON Schema the answer must match, where the provider supports structured output. */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface CompletionResponse {
  text: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  costUsd: number;
  model: string;
  /** Why generation stopped ('stop', 'length', ...); 'length' means a truncated answer. */
  finishReason: string;
  /** HTTP attempts the call took (retries of 429/5xx included); absent for providers that do not retry. */
  attempts?: number;
}

export interface ModelProvider {
  readonly provider: string;
  readonly model: string;
  complete(request: CompletionRequest): Promise<CompletionResponse>;
}
