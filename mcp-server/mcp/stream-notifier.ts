// One LISTEN on the event log's NOTIFY channel per process, fanned out to in-process listeners by stream name.
import { EVENTS_CHANNEL } from '../../core/events/event-log';
import type { Logger } from '../../core/observability/logger';
import type { Store } from '../../core/store/store';

export type StreamListener = (stream: string) => void;

export interface StreamNotifier {
  /** Calls `listener` with the stream name of each committed append; returns the function that stops it. */
  on(listener: StreamListener): () => void;
  /** How many listeners are attached (the bench checks it stays flat). */
  listenerCount(): number;
  close(): Promise<void>;
}

export async function createStreamNotifier(store: Store, logger: Logger): Promise<StreamNotifier> {
  const listeners = new Set<StreamListener>();
  const stop = await store.listen(EVENTS_CHANNEL, (stream) => {
    for (const listener of [...listeners]) {
      try {
        listener(stream);
      } catch (error) {
        // One listener's bug must not starve the others of notifications; it is logged, not rethrown.
        logger.error({ err: (error as Error).message }, 'event stream listener failed');
      }
    }
  });
  let closed = false;
  return {
    on(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await stop();
    },
  };
}
