// tools/list and tools/call: limits, zod at the edge (bad params → InvalidParams), roles, errors → isError results.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { type CallToolResult, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { AuraError, describeIssues } from '../../core/domain/errors';
import type { Logger } from '../../core/observability/logger';
import { actorOf, type Principal } from '../auth/roles';
import { mapThrown, toolError } from './error-mapping';
import { argumentShapeProblem } from './input-limits';
import { looseRequest, paramsOf } from './loose-request';
import { createProgressReporter } from './progress';
import type { McpServices } from './services';
import type { ToolDefinition } from './tool-definition';
import { toolListing } from './tool-schemas';
import { selects, type ToolSelection } from './tool-sets';
import { assertArgumentsInWorkspace, reachesTool, unscopedRefusal } from './workspace-scope';

const callParams = z.looseObject({ name: z.string().max(200), arguments: z.record(z.string(), z.unknown()).optional() });

export interface ToolDispatchOptions {
  tools: readonly ToolDefinition[];
  principal: Principal;
  selection: ToolSelection;
  services: McpServices;
  logger: Logger;
  /** Called after each call with its outcome (metrics). */
  onCall?: (tool: string, outcome: 'ok' | 'error' | 'invalid', ms: number) => void;
}

/** The tools this principal may see: those its role may call, within the session's tool selection. */
export function visibleTools(tools: readonly ToolDefinition[], principal: Principal, selection: ToolSelection): ToolDefinition[] {
  return tools.filter((t) => t.roles.includes(principal.role) && selects(selection, t.name) && reachesTool(principal, t));
}

export function installToolHandlers(server: Server, options: ToolDispatchOptions): void {
  const { principal, services, logger } = options;
  const all = new Map(options.tools.map((t) => [t.name, t]));
  const visible = visibleTools(options.tools, principal, options.selection);
  const listing = { tools: visible.map(toolListing) };
  const actor = actorOf(principal);

  server.setRequestHandler(looseRequest('tools/list'), () => listing);

  server.setRequestHandler(looseRequest('tools/call'), async (request, extra): Promise<CallToolResult> => {
    const started = performance.now();
    const params = paramsOf(callParams, request.params, 'tools/call');
    const name = params.name;
    const tool = all.get(name);
    const done = (outcome: 'ok' | 'error' | 'invalid') => options.onCall?.(tool ? name : '(unknown)', outcome, performance.now() - started);
    if (!tool || !selects(options.selection, name)) {
      done('invalid');
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${String(name).slice(0, 100)}". tools/list names the tools of this connection.`);
    }
    if (!tool.roles.includes(principal.role)) {
      done('error');
      return toolError(new AuraError('forbidden', `The ${principal.role} role may not call ${name}; it needs ${tool.roles.join(' or ')}.`));
    }
    if (!reachesTool(principal, tool)) {
      done('error');
      return toolError(unscopedRefusal(principal, name));
    }
    const args = params.arguments ?? {};
    const shape = argumentShapeProblem(args);
    if (shape) {
      done('invalid');
      throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for ${name}: ${shape}.`);
    }
    const parsed = tool.input.safeParse(args);
    if (!parsed.success) {
      done('invalid');
      throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for ${name}: ${describeIssues(parsed.error.issues).slice(0, 2000)}`);
    }
    let output: unknown;
    try {
      await assertArgumentsInWorkspace(services.core.store, principal, parsed.data as Record<string, unknown>);
      const progress = createProgressReporter(extra._meta?.progressToken, extra.sendNotification);
      output = await tool.run(parsed.data, { principal, actor, signal: extra.signal, progress, services });
    } catch (error) {
      done('error');
      return mapThrown(error, name, logger);
    }
    const checked = tool.output.safeParse(output);
    if (!checked.success) {
      done('error');
      // Our bug, not the caller's: the result did not match the tool's own output schema.
      return mapThrown(new Error(`${name} produced output outside its schema: ${describeIssues(checked.error.issues)}`), name, logger);
    }
    done('ok');
    const structuredContent = checked.data as Record<string, unknown>;
    return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
  });
}
