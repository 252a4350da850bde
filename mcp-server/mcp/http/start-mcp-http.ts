// Hosts the MCP endpoint for `aura serve`: checks the bind, writes the local token, listens on AURA_MCP_PORT.
import type { Config } from '../../../core/config/config';
import type { CoreContext } from '../../../core/core-context';
import { envNames } from '../../../core/config/env-names';
import type { Logger } from '../../../core/observability/logger';
import { listen } from '../../http/listen';
import { createAuthenticator } from '../../auth/authenticator';
import { assertBindAllowed, isLoopbackHost } from '../../auth/bind-guard';
import { writeLocalToken } from '../../auth/local-token';
import { createTokenStore } from '../../auth/token-store';
import { type AuraServicesOptions, openAuraServices } from '../compose/open-aura-services';
import { createMcpRuntime, type McpRuntime } from '../mcp-runtime';
import type { ToolDefinition } from '../tool-definition';
import { parseToolSelection } from '../tool-sets';
import { createMcpHttp, type McpHttp } from './mcp-http-app';
import { defaultAllowedOrigins } from './request-guards';

export interface McpHttpServer {
  /** The endpoint, e.g. http://127.0.0.1:9000/mcp. */
  url: string;
  port: number;
  runtime: McpRuntime;
  http: McpHttp;
  /** The model gateway's origin, when the composition was asked to listen for it (compose.gatewayListen). */
  gatewayUrl?: string;
  close(): Promise<void>;
}

export interface StartMcpHttpOptions {
  core: CoreContext;
  config: Config;
  logger: Logger;
  /** Default: AURA_MCP_PORT. */
  port?: number;
  /** How the Manager, governance and employees are composed (tests pass in-process employees). */
  compose?: AuraServicesOptions;
  extraTools?: readonly ToolDefinition[];
}

export async function startMcpHttp(options: StartMcpHttpOptions): Promise<McpHttpServer> {
  const { core, config } = options;
  const logger = options.logger.child({ component: 'mcp' });
  const tokens = createTokenStore(core);
  assertBindAllowed(config.host, await tokens.countActive(core.clock.now()), envNames.host);
  const aura = await openAuraServices(core, options.compose);
  let runtime: McpRuntime;
  try {
    runtime = await createMcpRuntime(core, { logger, extraTools: options.extraTools, services: aura });
  } catch (error) {
    await aura.stop(0);
    throw error;
  }
  const local = writeLocalToken(config.secretsDir);
  const authenticator = createAuthenticator({ tokens, clock: core.clock, localSecret: local.secret, notifier: runtime.services.notifier });
  const origins = defaultAllowedOrigins(config.uiPort);
  for (const o of config.mcpAllowedOrigins?.split(',') ?? []) origins.add(o.trim());
  const http = createMcpHttp({
    runtime,
    authenticator,
    boundToLoopback: isLoopbackHost(config.host),
    allowedOrigins: origins,
    defaultSelection: parseToolSelection(config.mcpTools, runtime.tools.map((t) => t.name), envNames.mcpTools),
  });
  const cleanup = async () => {
    await http.close();
    authenticator.close();
    await aura.stop();
    await runtime.close();
    local.remove();
  };
  try {
    const listening = await listen(http.app, config.host, options.port ?? config.mcpPort, envNames.mcpPort);
    return {
      url: `${listening.url}/mcp`,
      port: listening.port,
      runtime,
      http,
      gatewayUrl: aura.gatewayUrl,
      async close() {
        // Sessions first (their SSE streams end cleanly), then the socket, then the database listener.
        await http.close();
        await listening.close();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
