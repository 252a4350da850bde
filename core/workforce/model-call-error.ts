// The error a model call ends with: why it failed (a closed set of reasons), mapped onto AuraError's codes.
import { AuraError, type ErrorCode } from '../domain/errors';

export const modelFailureReasons = [
  'auth', // the endpoint refused the key (401, or Gemini's API_KEY_INVALID)
  'forbidden', // the key is known but not allowed this model or operation (403)
  'unknown_model', // the endpoint does not know the model (404)
  'bad_request', // the endpoint refused the request itself (400, 422)
  'rate_limited', // 429
  'server_error', // 5xx
  'network', // the endpoint could not be reached, or the connection broke mid-answer
  'timeout', // the call ran past its deadline (timeoutMs)
  'cancelled', // the caller aborted (its AbortSignal)
  'truncated', // the answer stopped at the token limit (finish reason length / MAX_TOKENS)
  'empty', // the answer had no text
  'not_json', // JSON was asked for and the answer is not JSON
  'schema_mismatch', // JSON was asked for and the answer does not match the schema
  'bad_response', // the body is not what the provider's protocol says (garbage, missing fields)
] as const;

export type ModelFailureReason = (typeof modelFailureReasons)[number];

const codeOf: Record<ModelFailureReason, ErrorCode> = {
  auth: 'unauthorized',
  forbidden: 'forbidden',
  unknown_model: 'not_found',
  bad_request: 'invalid_input',
  rate_limited: 'unavailable',
  server_error: 'unavailable',
  network: 'unavailable',
  timeout: 'timeout',
  cancelled: 'conflict',
  truncated: 'budget_exceeded',
  empty: 'unavailable',
  not_json: 'unavailable',
  schema_mismatch: 'unavailable',
  bad_response: 'unavailable',
};

/** Whether another call, later, may succeed (what `AuraError.retryable` tells the Manager). */
const laterMayHelp: ReadonlySet<ModelFailureReason> = new Set(['rate_limited', 'server_error', 'network', 'timeout', 'empty', 'not_json', 'schema_mismatch']);

/** The failures the adapter itself retries within one call (transient on the provider's side). */
export const retriedWithinCall: ReadonlySet<ModelFailureReason> = new Set(['rate_limited', 'server_error', 'network']);

export interface ModelCallErrorInit {
  reason: ModelFailureReason;
  provider: string;
  model: string;
  message: string;
  status?: number;
  attempts?: number;
  retryAfterMs?: number;
  /** Tokens the provider charged for a failed answer (a truncated one costs its tokens). */
  usage?: { tokensIn: number; tokensOut: number; costUsd: number };
  /** A scrubbed description of what the SDK threw (never the SDK's object: it may carry request data). */
  cause?: Error;
}

export class ModelCallError extends AuraError {
  readonly reason: ModelFailureReason;
  readonly provider: string;
  readonly model: string;
  readonly status: number | undefined;

  constructor(init: ModelCallErrorInit) {
    super(codeOf[init.reason], `${init.provider} ${init.model}: ${init.message}`, {
      retryable: laterMayHelp.has(init.reason),
      cause: init.cause,
      details: {
        reason: init.reason,
        provider: init.provider,
        model: init.model,
        ...(init.status === undefined ? {} : { status: init.status }),
        ...(init.attempts === undefined ? {} : { attempts: init.attempts }),
        ...(init.retryAfterMs === undefined ? {} : { retryAfterMs: init.retryAfterMs }),
        ...(init.usage ? { usage: init.usage } : {}),
      },
    });
    this.name = 'ModelCallError';
    this.reason = init.reason;
    this.provider = init.provider;
    this.model = init.model;
    this.status = init.status;
  }

  static isModelCallError(value: unknown): value is ModelCallError {
    return value instanceof ModelCallError;
  }
}

/** The reason an HTTP status from a model endpoint means. */
export function reasonForStatus(status: number): ModelFailureReason {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'unknown_model';
  if (status === 408) return 'network'; // the server gave up waiting for the request: transient
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}
