// A ModelProvider decorator: each completion goes through the call recorder (recorded, replayed, or passed through).
import { z } from 'zod';
import type { CompletionResponse, ModelProvider } from '../workforce/model-provider';
import { completionParams } from './call-key';
import type { CallRecorder } from './call-recorder';

const completionResponseSchema: z.ZodType<CompletionResponse> = z.object({
  text: z.string(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  latencyMs: z.number(),
  costUsd: z.number(),
  model: z.string(),
  finishReason: z.string(),
  attempts: z.number().int().optional(),
});

/**
 * Wraps `provider` so that every complete() is keyed by (provider, model, params) and goes through
 * `recorder`. A replayed answer is the recorded one exactly (its tokens, cost and latency included), and
 * the wrapped provider, hence the network, is never touched.
 */
export function recording(provider: ModelProvider, recorder: CallRecorder): ModelProvider {
  return {
    provider: provider.provider,
    model: provider.model,
    complete: (request) =>
      recorder.call(
        { kind: 'model', provider: provider.provider, model: provider.model, params: completionParams(request) },
        () => provider.complete(request),
        // A replay run pays for nothing: the answer is the recorded one, its cost is not charged again.
        { schema: completionResponseSchema, whenReplayed: (response) => ({ ...response, costUsd: 0 }) },
      ),
  };
}
