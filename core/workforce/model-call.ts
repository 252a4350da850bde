// One model call as every adapter makes it: deadline, bounded retries, output checks, tokens, cost and latency.
import type { Clock } from '../domain/clock';
import type { Logger } from '../observability/logger';
import { type CostTable, callCostUsd } from './cost';
import { ModelCallError, type ModelFailureReason, retriedWithinCall } from './model-call-error';
import type { CompletionRequest, CompletionResponse } from './model-provider';
import { type ObservedResponse, observeFetch } from './observed-fetch';
import { decideRetry, parseRetryAfter, type RetryPolicy } from './retry-policy';
import type { Secret } from './secret-ref';
import { checkStructuredAnswer } from './structured-output';

/** What one attempt got back, in the provider's terms normalised. */
export interface AttemptAnswer {
  text: string;
  /** 'stop', 'length' (truncated at the token limit), or the provider's own word, lower-cased. */
  finishReason: string;
  tokensIn: number;
  tokensOut: number;
  /** The model the endpoint says answered (it may name a dated version). */
  model?: string;
}

/** How an adapter explains a throw from its SDK. */
export interface Failure {
  reason: ModelFailureReason;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

export interface AttemptContext {
  attempt: number;
  signal: AbortSignal;
  /** Pass to the SDK as its fetch: carries the signal and lets the runner see statuses and headers. */
  fetch: typeof fetch;
  /** Milliseconds left before the call's deadline (for an SDK's own timeout option). */
  remainingMs: number;
}

export interface ModelCallSpec {
  provider: string;
  model: string;
  request: CompletionRequest;
  costTable: CostTable;
  policy: RetryPolicy;
  clock: Clock;
  /** Used when the request names no timeoutMs. */
  defaultTimeoutMs: number;
  logger?: Logger;
  /** The key in use, so any text from the provider is scrubbed of it before it goes anywhere. */
  secret?: Secret;
  /** The fetch underneath (tests may count or break requests); defaults to the global fetch. */
  baseFetch?: typeof fetch;
  random?: () => number;
  attempt(context: AttemptContext): Promise<AttemptAnswer>;
  /** Explains a throw; `response` is the last HTTP response seen in that attempt, if any. */
  classify(error: unknown, response: ObservedResponse | undefined): Failure;
}

/** The answer as the ModelProvider port returns it, plus how many attempts it took. */
export type ModelCallResult = CompletionResponse & { attempts: number };

/**
 * Runs attempts until one answers or a failure is final. `timeoutMs` bounds the whole call, backoff
 * included, so a caller with a deadline is never kept past it. Only transient failures (429, 5xx,
 * network) are retried here; an answer that is truncated, empty or not the JSON asked for is final for
 * this call (the error's `retryable` tells the Manager whether another attempt may help).
 */
export async function runModelCall(spec: ModelCallSpec): Promise<ModelCallResult> {
  const started = performance.now();
  const timeoutMs = spec.request.timeoutMs ?? spec.defaultTimeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = spec.request.signal ? AbortSignal.any([spec.request.signal, deadline]) : deadline;
  const log = spec.logger?.child({ provider: spec.provider, model: spec.model });
  const scrub = (text: string) => (spec.secret ? spec.secret.scrub(text) : text);
  const fail = (failure: Failure, attempts: number, extra: Partial<ConstructorParameters<typeof ModelCallError>[0]> = {}) =>
    new ModelCallError({ ...failure, message: scrub(failure.message), provider: spec.provider, model: spec.model, attempts, ...extra });

  for (let attempt = 1; ; attempt++) {
    const remainingMs = timeoutMs - (performance.now() - started);
    const observed = observeFetch(signal, spec.baseFetch);
    const attemptStarted = performance.now();
    let answer: AttemptAnswer;
    try {
      if (signal.aborted) throw signal.reason;
      answer = await spec.attempt({ attempt, signal, fetch: observed.fetch, remainingMs });
    } catch (error) {
      const failure = signal.aborted ? abortFailure(spec.request.signal, timeoutMs) : spec.classify(error, observed.last());
      if (failure.retryAfterMs === undefined && observed.last()) failure.retryAfterMs = parseRetryAfter(observed.last()!.headers, spec.clock.now());
      log?.warn({ attempt, reason: failure.reason, status: failure.status, durationMs: Math.round(performance.now() - attemptStarted) }, 'model call attempt failed');
      const decision = decideRetry({
        attempt,
        retryable: retriedWithinCall.has(failure.reason),
        retryAfterMs: failure.retryAfterMs,
        remainingMs: timeoutMs - (performance.now() - started),
        policy: spec.policy,
        random: spec.random,
      });
      if (!decision.retry) {
        const why = decision.why === 'not_retryable' ? '' : ` (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${decision.why.replace(/_/g, ' ')})`;
        throw fail({ ...failure, message: failure.message + why }, attempt, { cause: describeCause(error, scrub) });
      }
      try {
        await spec.clock.sleep(decision.delayMs, signal);
      } catch {
        // The wait was cut short by the deadline or the caller: that, not the last failure, is the outcome.
        throw fail(abortFailure(spec.request.signal, timeoutMs), attempt);
      }
      continue;
    }

    const latencyMs = Math.round(performance.now() - started);
    const tokensIn = Math.max(0, Math.round(answer.tokensIn));
    const tokensOut = Math.max(0, Math.round(answer.tokensOut));
    const costUsd = callCostUsd(spec.costTable, tokensIn, tokensOut);
    const usage = { tokensIn, tokensOut, costUsd };
    log?.debug({ attempt, latencyMs, tokensIn, tokensOut, finishReason: answer.finishReason }, 'model call answered');
    if (answer.finishReason === 'length') {
      throw fail({ reason: 'truncated', message: `the answer was cut off at the token limit (maxTokens ${spec.request.maxTokens ?? 'default'}, ${tokensOut} tokens out); raise maxTokens or ask for less` }, attempt, { usage });
    }
    if (answer.text.trim() === '') {
      throw fail({ reason: 'empty', message: `the answer has no text (finish reason ${answer.finishReason || 'none'})` }, attempt, { usage });
    }
    let text = answer.text;
    if (spec.request.jsonSchema) {
      const checked = checkStructuredAnswer(text, spec.request.jsonSchema.schema);
      if (!checked.ok) throw fail({ reason: checked.reason, message: checked.message }, attempt, { usage });
      text = checked.text;
    }
    return { text, tokensIn, tokensOut, latencyMs, costUsd, model: answer.model || spec.model, finishReason: answer.finishReason, attempts: attempt };
  }
}

function abortFailure(callerSignal: AbortSignal | undefined, timeoutMs: number): Failure {
  if (callerSignal?.aborted) return { reason: 'cancelled', message: 'the call was cancelled by its caller' };
  return { reason: 'timeout', message: `no answer within ${timeoutMs} ms (timeoutMs)` };
}

/** A plain Error with the SDK error's name and scrubbed message: enough to diagnose, nothing of the request. */
function describeCause(error: unknown, scrub: (text: string) => string): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(scrub(source.message));
  copy.name = source.name;
  delete copy.stack;
  return copy;
}
