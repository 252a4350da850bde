// One session's resource subscriptions: committed appends → notifications/resources/updated, coalesced per URI.
import type { Logger } from '../../../core/observability/logger';
import type { StreamNotifier } from '../stream-notifier';

export const MAX_SUBSCRIPTIONS_PER_SESSION = 1000;

export interface SessionSubscriptions {
  add(uri: string, changedBy: (stream: string) => boolean): void;
  remove(uri: string): void;
  size(): number;
  close(): void;
}

export function createSessionSubscriptions(options: {
  notifier: StreamNotifier;
  send: (uri: string) => Promise<void>;
  logger: Logger;
  /** Appends within this window produce one notification per URI (a run writes events in bursts). */
  coalesceMs?: number;
}): SessionSubscriptions {
  const { notifier, send, logger } = options;
  const coalesceMs = options.coalesceMs ?? 20;
  const subscriptions = new Map<string, (stream: string) => boolean>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopListening: (() => void) | undefined;
  let closed = false;

  const flush = () => {
    timer = undefined;
    const uris = [...pending];
    pending.clear();
    for (const uri of uris) {
      if (!subscriptions.has(uri)) continue;
      send(uri).catch((error) => logger.debug({ uri, err: (error as Error).message }, 'resource update not delivered (session gone)'));
    }
  };

  const onAppend = (stream: string) => {
    for (const [uri, changedBy] of subscriptions) if (changedBy(stream)) pending.add(uri);
    if (pending.size && !timer) timer = setTimeout(flush, coalesceMs);
  };

  return {
    add(uri, changedBy) {
      if (closed) return;
      subscriptions.set(uri, changedBy);
      // Listen only while something is subscribed, so idle sessions cost the notifier nothing.
      stopListening ??= notifier.on(onAppend);
    },
    remove(uri) {
      subscriptions.delete(uri);
      pending.delete(uri);
      if (subscriptions.size === 0 && stopListening) {
        stopListening();
        stopListening = undefined;
      }
    },
    size: () => subscriptions.size,
    close() {
      closed = true;
      subscriptions.clear();
      pending.clear();
      if (timer) clearTimeout(timer);
      stopListening?.();
      stopListening = undefined;
    },
  };
}
