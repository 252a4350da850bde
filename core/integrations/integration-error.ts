// The failure of one call to an external system, with what a retry can do about it (never a secret in its text).
import { AuraError, type ErrorCode } from '../domain/errors';

export const integrationFailureReasons = ['rate_limited', 'server', 'network', 'timeout', 'refused', 'auth', 'not_found'] as const;
export type IntegrationFailureReason = (typeof integrationFailureReasons)[number];

const codeOf: Record<IntegrationFailureReason, ErrorCode> = {
  rate_limited: 'unavailable',
  server: 'unavailable',
  network: 'unavailable',
  timeout: 'timeout',
  refused: 'invalid_input',
  auth: 'unauthorized',
  not_found: 'not_found',
};

/** 429, 5xx, a dropped connection and a timeout may pass; any other 4xx is the request itself and never retried. */
const retryableReasons: ReadonlySet<IntegrationFailureReason> = new Set(['rate_limited', 'server', 'network', 'timeout']);

export class IntegrationCallError extends AuraError {
  readonly reason: IntegrationFailureReason;
  readonly status: number | undefined;
  /** The wait the system asked for (Retry-After), when it said one. */
  readonly retryAfterMs: number | undefined;

  constructor(input: { reason: IntegrationFailureReason; message: string; status?: number; retryAfterMs?: number }) {
    super(codeOf[input.reason], input.message, {
      retryable: retryableReasons.has(input.reason),
      details: { reason: input.reason, ...(input.status !== undefined ? { status: input.status } : {}), ...(input.retryAfterMs !== undefined ? { retryAfterMs: input.retryAfterMs } : {}) },
    });
    this.name = 'IntegrationCallError';
    this.reason = input.reason;
    this.status = input.status;
    this.retryAfterMs = input.retryAfterMs;
  }

  static isIntegrationCallError(value: unknown): value is IntegrationCallError {
    return value instanceof IntegrationCallError;
  }
}

/** The reason an HTTP status stands for. */
export function reasonOfStatus(status: number): IntegrationFailureReason {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  return 'refused';
}

/** A Retry-After header's wait: seconds, or an HTTP date. */
export function parseRetryAfter(header: string | null | undefined, now: Date = new Date()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
