// resources/list, templates, read, subscribe and unsubscribe over the resource definitions present.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { AuraError, toAuraError } from '../../../core/domain/errors';
import type { Logger } from '../../../core/observability/logger';
import { looseRequest, paramsOf } from '../loose-request';
import { DEFAULT_WORKSPACE } from '../../../core/tenancy/workspace';
import type { Principal } from '../../auth/roles';
import type { McpServices } from '../services';
import { assertInWorkspace } from '../workspace-scope';
import type { ResourceDefinition } from './resource-definition';
import { createSessionSubscriptions, MAX_SUBSCRIPTIONS_PER_SESSION, type SessionSubscriptions } from './session-subscriptions';

/** JSON-RPC code the MCP specification gives "resource not found". */
export const RESOURCE_NOT_FOUND = -32002;
const MIME = 'application/json';

const uriParams = z.looseObject({ uri: z.string().min(1).max(300) });

function resolve(resources: readonly ResourceDefinition[], uri: string): { resource: ResourceDefinition; vars: Record<string, string> } {
  for (const resource of resources) {
    const vars = resource.match(uri);
    if (vars) return { resource, vars };
  }
  throw new McpError(RESOURCE_NOT_FOUND, `No resource at "${uri.slice(0, 200)}". resources/templates/list names the URIs this server serves.`);
}

/** Core failures become protocol errors here (a resource read has no isError result): not found keeps its code. */
function asProtocolError(error: unknown, logger: Logger): McpError {
  if (error instanceof McpError) return error;
  const e = toAuraError(error);
  if (e.code === 'not_found') return new McpError(RESOURCE_NOT_FOUND, e.message);
  if (AuraError.is(error) && e.code !== 'internal') return new McpError(ErrorCode.InvalidRequest, `${e.code}: ${e.message}`);
  logger.error({ err: e.message, stack: (error as Error)?.stack }, 'resource read failed');
  return new McpError(ErrorCode.InternalError, 'Internal error reading the resource; see the server log.');
}

export function installResourceHandlers(
  server: Server,
  options: { resources: readonly ResourceDefinition[]; services: McpServices; logger: Logger; principal: Principal },
): SessionSubscriptions {
  const { services, logger, principal } = options;
  // The session's workspace: what is not divided into workspaces is not served to other workspaces at all.
  const resources = options.resources.filter((r) => !r.unscoped || principal.workspaceId === DEFAULT_WORKSPACE);
  const inWorkspace = async (resource: ResourceDefinition, vars: Record<string, string>) => {
    for (const [name, kind] of Object.entries(resource.owner ?? {})) await assertInWorkspace(services.core.store, principal, kind, vars[name]!);
  };
  const fixed = resources.filter((r) => !r.template.includes('{'));
  const templated = resources.filter((r) => r.template.includes('{'));
  const subscriptions = createSessionSubscriptions({ notifier: services.notifier, logger, send: (uri) => server.sendResourceUpdated({ uri }) });

  server.setRequestHandler(looseRequest('resources/list'), async () => {
    const instances = [];
    for (const r of templated) if (r.list) instances.push(...(await r.list(services, principal)).map((i) => ({ ...i, description: r.description, mimeType: MIME })));
    return { resources: [...fixed.map((r) => ({ uri: r.template, name: r.name, title: r.title, description: r.description, mimeType: MIME })), ...instances] };
  });
  server.setRequestHandler(looseRequest('resources/templates/list'), () => ({
    resourceTemplates: templated.map((r) => ({ uriTemplate: r.template, name: r.name, title: r.title, description: r.description, mimeType: MIME })),
  }));
  server.setRequestHandler(looseRequest('resources/read'), async (request) => {
    const { uri } = paramsOf(uriParams, request.params, 'resources/read');
    const { resource, vars } = resolve(resources, uri);
    try {
      await inWorkspace(resource, vars);
      const content = await resource.read(vars, services, principal);
      return { contents: [{ uri, mimeType: MIME, text: JSON.stringify(content) }] };
    } catch (error) {
      throw asProtocolError(error, logger);
    }
  });
  server.setRequestHandler(looseRequest('resources/subscribe'), async (request) => {
    const { uri } = paramsOf(uriParams, request.params, 'resources/subscribe');
    const { resource, vars } = resolve(resources, uri);
    if (subscriptions.size() >= MAX_SUBSCRIPTIONS_PER_SESSION) {
      throw new McpError(ErrorCode.InvalidRequest, `At most ${MAX_SUBSCRIPTIONS_PER_SESSION} subscriptions per session; unsubscribe from some first.`);
    }
    try {
      await inWorkspace(resource, vars);
      subscriptions.add(uri, await resource.changedBy(vars, services, principal));
    } catch (error) {
      throw asProtocolError(error, logger);
    }
    return {};
  });
  server.setRequestHandler(looseRequest('resources/unsubscribe'), (request) => {
    subscriptions.remove(paramsOf(uriParams, request.params, 'resources/unsubscribe').uri);
    return {};
  });
  return subscriptions;
}
