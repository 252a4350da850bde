// The EmbeddingProvider port: texts in, one vector each out (memory's semantic search); adapters sit beside the ModelProvider ones.

export interface EmbeddingRequest {
  texts: string[];
  /** Some APIs embed a stored document and a search query differently (Gemini's task types). */
  purpose: 'document' | 'query';
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface EmbeddingResponse {
  /** One per text, in order. */
  vectors: number[][];
  tokensIn: number;
  costUsd: number;
  latencyMs: number;
  model: string;
  attempts: number;
}

export interface EmbeddingProvider {
  readonly provider: string;
  readonly model: string;
  embed(request: EmbeddingRequest): Promise<EmbeddingResponse>;
}
