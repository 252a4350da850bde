// What a model provider adapter is built with besides the employee's profile: time, logs, secrets, retry policy.
import type { Clock } from '../domain/clock';
import { systemClock } from '../domain/clock';
import type { Logger } from '../observability/logger';
import { retryPolicy, type RetryPolicy } from './retry-policy';
import type { SecretSources } from './secret-ref';

export interface ModelProviderDeps {
  /** Sleeps between retries run on this clock (tests pass one that records and skips the wait). */
  clock?: Clock;
  logger?: Logger;
  /** Where apiKeyRef is resolved (default: process.env and the file system), at each call. */
  secrets?: SecretSources;
  retry?: Partial<RetryPolicy>;
  /** Deadline of a call whose request names no timeoutMs. */
  defaultTimeoutMs?: number;
  /** The fetch the SDK's requests go through (default: the global fetch). */
  fetch?: typeof fetch;
  /** Jitter source for backoff (tests make it fixed). */
  random?: () => number;
}

export interface ResolvedProviderDeps {
  clock: Clock;
  logger: Logger | undefined;
  secrets: SecretSources;
  policy: RetryPolicy;
  defaultTimeoutMs: number;
  fetch: typeof fetch | undefined;
  random: (() => number) | undefined;
}

/** Two minutes: long enough for a slow local model to write a page, short enough to notice a hung endpoint. */
export const DEFAULT_MODEL_TIMEOUT_MS = 120_000;

export function resolveProviderDeps(deps: ModelProviderDeps = {}): ResolvedProviderDeps {
  return {
    clock: deps.clock ?? systemClock,
    logger: deps.logger,
    secrets: deps.secrets ?? {},
    policy: retryPolicy(deps.retry),
    defaultTimeoutMs: deps.defaultTimeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    fetch: deps.fetch,
    random: deps.random,
  };
}

/** The part of a model call's spec that comes from the adapter's deps, the same for every provider. */
export function callEnvironment(resolved: ResolvedProviderDeps) {
  return {
    policy: resolved.policy,
    clock: resolved.clock,
    defaultTimeoutMs: resolved.defaultTimeoutMs,
    logger: resolved.logger,
    baseFetch: resolved.fetch,
    random: resolved.random,
  };
}
