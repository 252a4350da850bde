// A unix-socket proxy in front of the real engine: closing it cuts every connection, as an engine that went away.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface EngineProxy {
  host: string;
  /** Stops listening and destroys every open connection. */
  cut(): Promise<void>;
  /** Listens again on the same socket. */
  restore(): Promise<void>;
}

export async function createEngineProxy(targetSocket: string): Promise<EngineProxy> {
  const sock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aura-proxy-')), 'd.sock');
  const open = new Set<net.Socket>();
  let server: net.Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(targetSocket);
        open.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          open.delete(client);
          open.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(sock, () => resolve());
      server = s;
    });
  await listen();
  return {
    host: `unix://${sock}`,
    async cut() {
      const s = server;
      server = undefined;
      const closed = new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
      for (const c of open) c.destroy();
      open.clear();
      await closed;
    },
    restore: listen,
  };
}
