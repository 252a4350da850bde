// The one error type of the product: a closed set of codes, a cause, and whether a retry can help.

export const errorCodes = [
  'invalid_input', // the caller sent something malformed; fix the input
  'not_found', // an id that does not exist
  'conflict', // the thing exists but is in a state that forbids the operation
  'unauthorized', // no or unknown credentials
  'forbidden', // known caller, not allowed
  'policy_denied', // a governance rule refused it
  'budget_exceeded', // a cost limit was crossed
  'unavailable', // a dependency (database, engine, model endpoint) cannot be reached
  'timeout', // an operation ran past its deadline
  'tampered', // the audit chain does not verify
  'config', // the process is misconfigured; names the setting to fix
  'internal', // a bug: anything not classified above
] as const;

export type ErrorCode = (typeof errorCodes)[number];

const retryableByDefault: ReadonlySet<ErrorCode> = new Set(['unavailable', 'timeout']);

export interface AuraErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  details?: Record<string, unknown>;
}

export class AuraError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AuraErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuraError';
    this.code = code;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    this.details = options.details;
  }

  static is(value: unknown, code?: ErrorCode): value is AuraError {
    return value instanceof AuraError && (code === undefined || value.code === code);
  }
}

/** Normalises anything thrown into an AuraError (unknown throws become `internal`). */
export function toAuraError(value: unknown): AuraError {
  if (value instanceof AuraError) return value;
  if (value instanceof Error) return new AuraError('internal', value.message, { cause: value });
  return new AuraError('internal', String(value));
}

/** Formats zod issues as one readable line per problem, naming the path of each. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
