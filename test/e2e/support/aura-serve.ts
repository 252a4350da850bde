// A real `aura serve` (the bundled dist/aura.js) on a fresh embedded database and free ports, for the end-to-end suites.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AuraClient, connectAuraClient } from '../../../webview-ui/protocol/aura-client';
import { type Daemon, freePort, ROOT, startDaemon, STATE, waitHttp } from './daemons';

export interface AuraServe {
  home: string;
  apiUrl: string;
  mcpUrl: string;
  uiUrl: string;
  token: string;
  daemon: Daemon;
  /** An MCP client as the Director, for arranging state the UI then shows. */
  client(): Promise<AuraClient>;
  stop(): Promise<void>;
}

/** `env` adds to (or overrides) its variables, e.g. DATABASE_URL and AURA_AUDIT_KEY to show another process's database. */
export async function startAuraServe(name = 'aura-serve-e2e', extraEnv: Record<string, string> = {}): Promise<AuraServe> {
  const auraJs = path.join(ROOT, 'dist', 'aura.js');
  if (!fs.existsSync(auraJs)) throw new Error('dist/aura.js is missing: run `node esbuild.mjs` first');
  // A given AURA_HOME (another process's, to show its run repositories) is used and left in place.
  const ownHome = !extraEnv.AURA_HOME;
  const home = extraEnv.AURA_HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aura-e2e-home-'));
  const [apiPort, mcpPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AURA_HOME: home,
    AURA_API_PORT: String(apiPort),
    AURA_MCP_PORT: String(mcpPort),
    AURA_UI_PORT: String(uiPort),
    AURA_GATEWAY_PORT: String(await freePort()),
    AURA_LOG_LEVEL: 'info',
    ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    ...extraEnv,
  };
  const daemon = startDaemon(name, process.execPath, [auraJs, 'serve'], { env, cwd: STATE });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitHttp(`${apiUrl}/health`, 60_000, daemon);
  const tokenFile = path.join(home, 'secrets', 'mcp-local.token');
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(tokenFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const token = fs.readFileSync(tokenFile, 'utf8').trim();
  const mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
  const clients: AuraClient[] = [];
  return {
    home,
    apiUrl,
    mcpUrl,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    token,
    daemon,
    async client() {
      const c = await connectAuraClient({ url: mcpUrl, token, clientName: 'aura-e2e', clientVersion: '1' });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) await c.close().catch(() => undefined); // the server may be gone already
      await daemon.stop();
      if (ownHome) fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
