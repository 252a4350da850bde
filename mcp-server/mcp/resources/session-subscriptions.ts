// One session's resource subscriptions: committed appends → notifications/resources/updated, coalesced per URI.
import type { Logger } from '../../../core/observability/logger';
import type { StreamNotifier } from '../stream-notifier';

export const MAX_SUBSCRIPTIONS_PER_SESSION = 1000;

export interface SessionSubscriptions {
  /** `changedBy` may answer later (a database lookup); its answer still coalesces with the others. */
  add(uri: string, changedBy: (stream: string) => boolean | Promise<boolean>): void;
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
  const subscriptions = new Map<string, (stream: string) => boolean | Promise<boolean>>();
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

  const mark = (uri: string) => {
    pending.add(uri);
    if (!timer) timer = setTimeout(flush, coalesceMs);
  };
  const onAppend = (stream: string) => {
    for (const [uri, changedBy] of subscriptions) {
      const changed = changedBy(stream);
      if (changed === true) mark(uri);
      else if (changed !== false) {
        changed.then(
          (yes) => {
            if (yes && !closed && subscriptions.has(uri)) mark(uri);
          },
          (error: unknown) => logger.debug({ uri, err: (error as Error).message }, 'could not tell whether an append changed a resource'),
        );
      }
    }
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
