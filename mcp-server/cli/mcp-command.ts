// `aura mcp`: MCP over stdio (logs on stderr only); relays to a running `aura serve` when the embedded database is taken.
import type { Command } from 'commander';
import { loadConfig } from '../../core/config/config';
import { envNames } from '../../core/config/env-names';
import { AuraError } from '../../core/domain/errors';
import { createLogger } from '../../core/observability/logger';
import { openCore } from '../app/open-core';
import { createAuthenticator } from '../auth/authenticator';
import { readLocalToken } from '../auth/local-token';
import { localDirector, type Principal } from '../auth/roles';
import { createTokenStore } from '../auth/token-store';
import { openAuraServices } from '../mcp/compose/open-aura-services';
import { createMcpRuntime } from '../mcp/mcp-runtime';
import { runningServe } from '../mcp/stdio/running-serve';
import { serveStdio } from '../mcp/stdio/serve-stdio';
import { relayStdioToHttp } from '../mcp/stdio/stdio-relay';
import { parseToolSelection } from '../mcp/tool-sets';
import { act } from './command-kit';

export function register(program: Command): void {
  program
    .command('mcp')
    .description('MCP over stdio, as the local Director (relays to a running aura serve)')
    .option('--tools <set>', 'core, full, or tool names separated by commas (default AURA_MCP_TOOLS)')
    .action(act('mcp', (values: { tools?: string }) => mcpStdio(values)));
}

async function mcpStdio(values: { tools?: string }): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ service: 'mcp', level: config.logLevel, destination: 'stderr' });
  const tools = values.tools ?? config.mcpTools;

  // The embedded database admits one process: when `aura serve` holds it, speak to that server instead.
  const serve = config.databaseUrl ? undefined : runningServe(config.home);
  if (serve) {
    const token = config.mcpToken ?? readLocalToken(config.secretsDir);
    if (!token) throw new AuraError('config', `aura serve (pid ${serve.pid}) holds the database, and its local token is not readable; set ${envNames.mcpToken}.`);
    const url = new URL(serve.mcpUrl);
    if (tools !== 'full') url.searchParams.set('tools', tools);
    logger.info({ url: url.toString(), pid: serve.pid }, 'relaying stdio to the running aura serve');
    return relayStdioToHttp({ url: url.toString(), token, logger });
  }

  const core = await openCore({ config, logger, migrate: true });
  // Standalone, this process is the orchestrator: it runs the Manager's scheduler while the client is connected.
  const aura = await openAuraServices(core);
  const runtime = await createMcpRuntime(core, { logger, services: aura });
  let principal: Principal = localDirector;
  if (config.mcpToken) {
    const authenticator = createAuthenticator({ tokens: createTokenStore(core), clock: core.clock });
    const found = await authenticator.authenticate(`Bearer ${config.mcpToken}`);
    authenticator.close();
    if (!found) {
      await aura.stop(0);
      await runtime.close();
      await core.store.close();
      throw new AuraError('unauthorized', `${envNames.mcpToken} is not a valid token (unknown, revoked or expired).`);
    }
    principal = found;
  }
  try {
    await serveStdio(runtime, principal, parseToolSelection(tools, runtime.tools.map((t) => t.name), '--tools'));
  } finally {
    await aura.stop().catch(() => undefined);
    await runtime.close().catch(() => undefined);
    await core.store.close().catch(() => undefined);
  }
  return 0;
}
