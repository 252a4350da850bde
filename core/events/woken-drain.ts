// A worker that drains durable work whenever an event is appended (the events channel's NOTIFY wakes it) and on a
// poll that backs the wake-ups up: the shape of the notifier, the integration runner, run lessons and the enforcer.
import { toAuraError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import { EVENTS_CHANNEL } from './event-log';

export interface WokenDrain {
  /** Runs passes until one finds nothing new; a call during a pass makes it run once more. Returns what they did. */
  drain(): Promise<number>;
  start(): Promise<void>;
  /** Stops waking and waits for the pass in flight. */
  stop(): Promise<void>;
}

export interface WokenDrainOptions {
  store: Store;
  logger: Logger;
  pollMs: number;
  /** One pass over the work due; returns how much it did. */
  pass: () => Promise<number>;
  /** Logged when a woken pass throws (the next wake-up or poll tries again). */
  failure: string;
  /** Drain once as soon as it starts (default true). */
  drainAtStart?: boolean;
}

export function createWokenDrain(options: WokenDrainOptions): WokenDrain {
  const { store, logger } = options;
  let running: Promise<number> | null = null;
  let again = false;
  let unlisten: (() => Promise<void>) | null = null;
  let timer: NodeJS.Timeout | null = null;

  const drain = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await options.pass();
      } while (again);
      return total;
    })().finally(() => (running = null));
    return running;
  };

  const wake = () => void drain().catch((error: unknown) => logger.error({ err: toAuraError(error).message }, options.failure));

  return {
    drain,
    async start() {
      unlisten = await store.listen(EVENTS_CHANNEL, wake);
      timer = setInterval(wake, options.pollMs);
      timer.unref();
      if (options.drainAtStart ?? true) wake();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await unlisten?.();
      unlisten = null;
      await running?.catch(() => undefined);
    },
  };
}
