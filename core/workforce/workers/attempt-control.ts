// Tracks running attempts so cancel(taskId) can stop one, and turns the assignment's deadline into an abort.
import { AuraError } from '../../domain/errors';

export interface AttemptScope {
  /** Aborted by the Manager's signal, by cancel(), or when the deadline passes; `reason` says which. */
  signal: AbortSignal;
  /** Milliseconds left before the deadline (never below 1). */
  remainingMs(): number;
  /** Runs `fn` when the attempt is stopped (kills its container); returns a function that unregisters. */
  onStop(fn: () => void): () => void;
  end(): void;
}

export interface AttemptControl {
  begin(taskId: string, outer: AbortSignal, deadline: number): AttemptScope;
  /** Runs one attempt in its scope: a failure after the attempt was stopped becomes the reason it stopped. */
  run<T>(taskId: string, outer: AbortSignal, deadline: number, fn: (scope: AttemptScope) => Promise<T>): Promise<T>;
  /** Stops the attempt of this task, if one runs here; resolves once its stop handlers ran. */
  cancel(taskId: string): Promise<void>;
  /** How many attempts run now (a worker serves one employee, possibly several tasks at once). */
  readonly size: number;
}

/** Why an attempt stopped, from its signal's reason (a cancel, the deadline, or the Manager). */
export function stopError(signal: AbortSignal): AuraError {
  const reason = signal.reason;
  if (AuraError.is(reason)) return reason;
  return new AuraError('conflict', `The attempt was cancelled${reason instanceof Error ? `: ${reason.message}` : ''}.`, { retryable: true });
}

export function createAttemptControl(now: () => number = Date.now): AttemptControl {
  const active = new Map<string, AbortController>();
  const control: AttemptControl = {
    get size() {
      return active.size;
    },
    begin(taskId, outer, deadline) {
      const controller = new AbortController();
      const forward = () => controller.abort(outer.reason ?? new AuraError('conflict', 'The Manager cancelled the attempt.', { retryable: true }));
      if (outer.aborted) forward();
      else outer.addEventListener('abort', forward, { once: true });
      const timer = setTimeout(
        () => controller.abort(new AuraError('timeout', `The attempt ran past its deadline (${new Date(deadline).toISOString()}).`)),
        Math.max(0, deadline - now()),
      );
      active.set(taskId, controller);
      return {
        signal: controller.signal,
        remainingMs: () => Math.max(1, deadline - now()),
        onStop(fn) {
          if (controller.signal.aborted) {
            fn();
            return () => undefined;
          }
          controller.signal.addEventListener('abort', fn, { once: true });
          return () => controller.signal.removeEventListener('abort', fn);
        },
        end() {
          clearTimeout(timer);
          outer.removeEventListener('abort', forward);
          if (active.get(taskId) === controller) active.delete(taskId);
        },
      };
    },
    async run(taskId, outer, deadline, fn) {
      const scope = control.begin(taskId, outer, deadline);
      try {
        return await fn(scope);
      } catch (error) {
        if (scope.signal.aborted) throw stopError(scope.signal);
        throw error;
      } finally {
        scope.end();
      }
    },
    async cancel(taskId) {
      active.get(taskId)?.abort(new AuraError('conflict', `Task ${taskId} was cancelled.`, { retryable: true }));
    },
  };
  return control;
}
