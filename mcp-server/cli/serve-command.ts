// `aura serve`: opens the core, serves the HTTP API, shuts down gracefully on SIGTERM/SIGINT.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../core/config/config';
import { createLogger } from '../../core/observability/logger';
import { openCore } from '../app/open-core';
import { createApiApp } from '../http/api-app';
import { createDashboardApp, dashboardAssetsDir } from '../http/dashboard-app';
import { listen, type Listening } from '../http/listen';
import { localTokenPath } from '../auth/local-token';
import { startMcpHttp } from '../mcp/http/start-mcp-http';

export async function serveCommand(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ service: 'serve', level: config.logLevel, logsDir: config.logsDir });
  const core = await openCore({ config, logger });
  const servers: Listening[] = [];
  const stateFile = path.join(config.home, 'serve.json');
  let stopping = false;
  let gatewayUrl: string | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const s of servers) await s.close().catch(() => undefined);
    fs.rmSync(stateFile, { force: true });
    await core.store.close().catch(() => undefined);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  try {
    servers.push(await listen(createApiApp(core), config.host, config.apiPort, 'AURA_API_PORT'));
    // The model gateway listens beside MCP: the CLI agents' containers send their model calls there.
    const mcpHttp = await startMcpHttp({ core, config, logger, compose: { gatewayListen: { host: config.gatewayHost, port: config.gatewayPort } } });
    servers.push(mcpHttp);
    gatewayUrl = mcpHttp.gatewayUrl;
    const dashboard = createDashboardApp({ assetsDir: dashboardAssetsDir(), mcpUrl: mcpHttp.url, logger: logger.child({ component: 'dashboard' }) });
    servers.push(await listen(dashboard.app, config.host, config.uiPort, 'AURA_UI_PORT'));
  } catch (error) {
    for (const s of servers) await s.close().catch(() => undefined);
    await core.store.close().catch(() => undefined);
    throw error;
  }
  const api = servers[0]!;
  const mcp = servers[1]!;
  const ui = servers[2]!;
  fs.writeFileSync(stateFile, JSON.stringify({ pid: process.pid, apiUrl: api.url, mcpUrl: mcp.url, uiUrl: ui.url, gatewayUrl }, null, 2));
  logger.info({ api: api.url, database: core.store.kind, home: config.home }, 'aura serve is up');
  process.stdout.write(
    `\nAura Orchestra is running (database: ${core.store.kind === 'pglite' ? `embedded, ${config.dbDir}` : 'PostgreSQL'})\n` +
      `  API      ${api.url}  (/health /ready /metrics)\n` +
      `  MCP      ${mcp.url}  (Streamable HTTP; bearer token)\n` +
      `  Dashboard ${ui.url}  (sign in with a token: this machine's Director token is in ${localTokenPath(config.secretsDir)})\n` +
      `  Gateway  ${gatewayUrl}  (CLI agents' model calls: /anthropic /openai/v1 /gemini, per-attempt tokens)\n` +
      `  Stop with Ctrl+C\n\n`,
  );
}
