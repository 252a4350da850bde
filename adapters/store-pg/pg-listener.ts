// One dedicated LISTEN connection per store that reconnects (with backoff) when the server drops it.
import pg from 'pg';
import type { Logger } from '../../core/observability/logger';

type Handler = (payload: string) => void;

export interface PgListener {
  listen(channel: string, onNotify: Handler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function createPgListener(url: string, logger?: Logger): PgListener {
  const handlers = new Map<string, Set<Handler>>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const quote = (channel: string) => `"${channel.replace(/"/g, '""')}"`;

  const connect = async (): Promise<pg.Client> => {
    const next = new pg.Client({ connectionString: url, application_name: 'aura-listen' });
    next.on('notification', (msg) => {
      for (const handler of handlers.get(msg.channel) ?? []) handler(msg.payload ?? '');
    });
    next.on('error', (error) => {
      logger?.warn({ err: error.message }, 'LISTEN connection lost; reconnecting');
      scheduleReconnect();
    });
    next.on('end', () => scheduleReconnect());
    await next.connect();
    for (const channel of handlers.keys()) await next.query(`LISTEN ${quote(channel)}`);
    client = next;
    return next;
  };

  const ensure = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= connect().finally(() => (connecting = undefined));
    return connecting;
  };

  const scheduleReconnect = (delay = 250) => {
    client = undefined;
    if (closed || retryTimer || handlers.size === 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      // Notifications missed while disconnected are fine: NOTIFY is a wake-up, pollers are the truth.
      ensure().catch(() => scheduleReconnect(Math.min(delay * 2, 5_000)));
    }, delay);
    retryTimer.unref();
  };

  return {
    async listen(channel, onNotify) {
      let set = handlers.get(channel);
      const first = !set;
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(onNotify);
      const c = await ensure();
      if (first && c === client) await c.query(`LISTEN ${quote(channel)}`).catch(() => undefined);
      return async () => {
        set!.delete(onNotify);
        if (set!.size === 0) {
          handlers.delete(channel);
          await client?.query(`UNLISTEN ${quote(channel)}`).catch(() => undefined);
        }
      };
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      handlers.clear();
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
