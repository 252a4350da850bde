// Wakes the dispatch loop: a wake() before the wait is not lost, and the wait ends at the poll interval anyway.
import type { Clock } from '../domain/clock';

export interface Waker {
  wake(): void;
  /** Resolves at the next wake(), after `ms` of the clock, or when `signal` aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
}

export function createWaker(clock: Clock): Waker {
  let pending = false;
  let release: (() => void) | null = null;
  return {
    wake() {
      pending = true;
      const r = release;
      release = null;
      r?.();
    },
    async wait(ms, signal) {
      if (pending || signal?.aborted) {
        pending = false;
        return;
      }
      const timer = new AbortController();
      const onAbort = () => timer.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.race([new Promise<void>((resolve) => (release = resolve)), clock.sleep(ms, timer.signal).catch(() => undefined)]);
      } finally {
        timer.abort();
        signal?.removeEventListener('abort', onAbort);
        release = null;
        pending = false;
      }
    },
  };
}
