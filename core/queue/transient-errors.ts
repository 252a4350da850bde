// Which database errors a retry can fix (lost connections, restarts, deadlocks), and a retry loop for them.
import type { Clock } from '../domain/clock';
import { AuraError } from '../domain/errors';

/** SQLSTATEs: serialization failure, deadlock, admin shutdown/crash, cannot connect now, connection exceptions, too many connections. */
const transientSqlStates = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const transientSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const transientMessage = /Connection terminated|terminating connection|Client has encountered a connection error|server closed the connection|connection is closed|Cannot use a pool after calling end|timeout exceeded when trying to connect/i;

export function isTransientDbError(error: unknown): boolean {
  if (AuraError.is(error)) return error.retryable && (error.code === 'unavailable' || error.code === 'timeout');
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string' && (transientSqlStates.has(code) || transientSocketCodes.has(code))) return true;
  return error instanceof Error && transientMessage.test(error.message);
}

export interface RetryOptions {
  clock: Clock;
  /** Tries in all, the first included. */
  attempts?: number;
  /** First wait; doubled each time, up to 2 s. */
  baseDelayMs?: number;
  signal?: AbortSignal;
  onRetry?: (error: unknown, attempt: number) => void;
}

/** Runs `fn` again after transient database errors; any other error, or the last one, is thrown. */
export async function retryTransient<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 6;
  let delay = options.baseDelayMs ?? 50;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransientDbError(error) || options.signal?.aborted) throw error;
      options.onRetry?.(error, attempt);
      await options.clock.sleep(delay, options.signal);
      delay = Math.min(delay * 2, 2_000);
    }
  }
}
