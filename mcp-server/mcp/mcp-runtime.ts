// The MCP surface of one process: services, catalogs and metrics shared by every session; opens sessions.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CoreContext } from '../../core/core-context';
import type { Logger } from '../../core/observability/logger';
import { createEmployeeRegistry } from '../../core/workforce/employee-registry';
import type { Principal } from '../auth/roles';
import { buildResourceCatalog, buildToolCatalog } from './catalog';
import { mcpMetrics } from './mcp-metrics';
import { installPromptHandlers } from './prompts/prompt-handlers';
import type { ResourceDefinition } from './resources/resource-definition';
import { installResourceHandlers } from './resources/resource-handlers';
import type { McpServices } from './services';
import { createStreamNotifier } from './stream-notifier';
import type { ToolDefinition } from './tool-definition';
import { installToolHandlers } from './tool-dispatch';
import type { ToolSelection } from './tool-sets';

export const SERVER_NAME = 'aura-orchestra';
export const SERVER_VERSION = '0.1.0';

const instructions =
  'Aura Orchestra turns a PRD into tested software with a governed team of model employees. ' +
  'Submit a PRD with submit_prd, follow it with get_run (or subscribe to aura://runs/{id}), decide approvals with approve/reject, ' +
  'and read the audit log with query_events. Tools your role may not call are not listed.';

export interface McpSession {
  server: Server;
  close(): Promise<void>;
}

export interface McpRuntime {
  services: McpServices;
  tools: readonly ToolDefinition[];
  resources: readonly ResourceDefinition[];
  logger: Logger;
  openSession(principal: Principal, selection: ToolSelection, transport: 'stdio' | 'http'): McpSession;
  close(): Promise<void>;
}

export interface McpRuntimeOptions {
  logger?: Logger;
  /** The composed core services (openAuraServices); without them only audit and workforce tools exist. */
  services?: Omit<McpServices, 'core' | 'notifier'>;
  /** Tools the embedding process adds to the catalog (the bench's no-op baseline). */
  extraTools?: readonly ToolDefinition[];
}

export async function createMcpRuntime(core: CoreContext, options: McpRuntimeOptions = {}): Promise<McpRuntime> {
  const logger = options.logger ?? core.logger;
  const notifier = await createStreamNotifier(core.store, logger);
  const services: McpServices = { employees: createEmployeeRegistry(core), ...options.services, core, notifier };
  const tools = buildToolCatalog(services, options.extraTools);
  const resources = buildResourceCatalog(services);
  const metrics = mcpMetrics(core.metrics.registry);
  return {
    services,
    tools,
    resources,
    logger,
    openSession(principal, selection, transport) {
      const employee = principal.role === 'employee';
      const server = new Server(
        { name: SERVER_NAME, version: SERVER_VERSION, title: 'Aura Orchestra' },
        {
          // An employee sees only its own channel: no resources, no prompts.
          capabilities: employee ? { tools: {} } : { tools: {}, resources: { subscribe: true }, prompts: {} },
          instructions,
        },
      );
      installToolHandlers(server, {
        tools,
        principal,
        selection,
        services,
        logger,
        onCall: (tool, outcome, ms) => {
          metrics.toolCalls.inc({ tool, outcome });
          metrics.toolSeconds.observe({ tool }, ms / 1000);
        },
      });
      const subscriptions = employee ? undefined : installResourceHandlers(server, { resources, services, logger, principal });
      if (!employee) installPromptHandlers(server);
      metrics.sessions.inc({ transport });
      let closed = false;
      const release = () => {
        if (closed) return;
        closed = true;
        subscriptions?.close();
        metrics.sessions.dec({ transport });
      };
      server.onclose = release;
      return {
        server,
        async close() {
          release();
          await server.close();
        },
      };
    },
    async close() {
      await notifier.close();
    },
  };
}
