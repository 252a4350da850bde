// One embedding call as every adapter makes it: the deadline, bounded retries of transient failures (Retry-After
// honoured), vectors checked (one per text, same length, finite numbers), tokens, cost and latency.
import type { EmbeddingRequest, EmbeddingResponse } from './embedding-provider';
import { callCostUsd, type CostTable } from './cost';
import type { AttemptContext, Failure } from './model-call';
import { ModelCallError, retriedWithinCall } from './model-call-error';
import { type ObservedResponse, observeFetch } from './observed-fetch';
import type { ResolvedProviderDeps } from './provider-deps';
import { decideRetry, parseRetryAfter } from './retry-policy';
import type { Secret } from './secret-ref';

export interface EmbeddingAnswer {
  vectors: number[][];
  tokensIn: number;
  model?: string;
}

export interface EmbeddingCallSpec {
  provider: string;
  model: string;
  request: EmbeddingRequest;
  costTable: CostTable;
  deps: ResolvedProviderDeps;
  secret?: Secret;
  attempt(context: AttemptContext): Promise<EmbeddingAnswer>;
  classify(error: unknown, response: ObservedResponse | undefined): Failure;
}

export async function runEmbeddingCall(spec: EmbeddingCallSpec): Promise<EmbeddingResponse> {
  const started = performance.now();
  const timeoutMs = spec.request.timeoutMs ?? spec.deps.defaultTimeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = spec.request.signal ? AbortSignal.any([spec.request.signal, deadline]) : deadline;
  const scrub = (text: string) => (spec.secret ? spec.secret.scrub(text) : text);
  const fail = (failure: Failure, attempts: number) => new ModelCallError({ ...failure, message: scrub(failure.message), provider: spec.provider, model: spec.model, attempts });
  const aborted = (): Failure => (spec.request.signal?.aborted ? { reason: 'cancelled', message: 'the call was cancelled by its caller' } : { reason: 'timeout', message: `no answer within ${timeoutMs} ms (timeoutMs)` });

  for (let attempt = 1; ; attempt++) {
    const observed = observeFetch(signal, spec.deps.fetch);
    let answer: EmbeddingAnswer;
    try {
      if (signal.aborted) throw signal.reason;
      answer = await spec.attempt({ attempt, signal, fetch: observed.fetch, remainingMs: timeoutMs - (performance.now() - started) });
    } catch (error) {
      const failure = signal.aborted ? aborted() : spec.classify(error, observed.last());
      if (failure.retryAfterMs === undefined && observed.last()) failure.retryAfterMs = parseRetryAfter(observed.last()!.headers, spec.deps.clock.now());
      spec.deps.logger?.warn({ provider: spec.provider, model: spec.model, attempt, reason: failure.reason, status: failure.status }, 'embedding call attempt failed');
      const decision = decideRetry({ attempt, retryable: retriedWithinCall.has(failure.reason), retryAfterMs: failure.retryAfterMs, remainingMs: timeoutMs - (performance.now() - started), policy: spec.deps.policy, random: spec.deps.random });
      if (!decision.retry) throw fail({ ...failure, message: failure.message + (decision.why === 'not_retryable' ? '' : ` (gave up after ${attempt} attempts: ${decision.why.replace(/_/g, ' ')})`) }, attempt);
      try {
        await spec.deps.clock.sleep(decision.delayMs, signal);
      } catch {
        throw fail(aborted(), attempt);
      }
      continue;
    }
    const problem = checkVectors(answer.vectors, spec.request.texts.length);
    if (problem) throw fail({ reason: 'bad_response', message: problem }, attempt);
    const tokensIn = Math.max(0, Math.round(answer.tokensIn));
    return {
      vectors: answer.vectors,
      tokensIn,
      costUsd: callCostUsd(spec.costTable, tokensIn, 0),
      latencyMs: Math.round(performance.now() - started),
      model: answer.model || spec.model,
      attempts: attempt,
    };
  }
}

function checkVectors(vectors: number[][], expected: number): string | null {
  if (vectors.length !== expected) return `the endpoint returned ${vectors.length} embeddings for ${expected} texts`;
  const size = vectors[0]?.length ?? 0;
  if (expected > 0 && size === 0) return 'the endpoint returned an empty embedding';
  for (const [i, v] of vectors.entries()) {
    if (v.length !== size) return `embedding ${i} has ${v.length} dimensions, the first has ${size}`;
    if (!v.every(Number.isFinite)) return `embedding ${i} holds a value that is not a finite number`;
  }
  return null;
}
