// The tools and resources this process serves: only those whose core service is present.
import type { ResourceDefinition } from './resources/resource-definition';
import { employeesResource } from './resources/workforce-resources';
import type { McpServices } from './services';
import type { ToolDefinition } from './tool-definition';
import { auditTools } from './tools/audit-tools';
import { workforceTools } from './tools/workforce-tools';

export function buildToolCatalog(services: McpServices, extra: readonly ToolDefinition[] = []): ToolDefinition[] {
  const tools = [...workforceTools(services), ...auditTools(services), ...extra];
  const names = new Set<string>();
  for (const tool of tools) {
    // A duplicate would silently shadow a tool in tools/call; fail at startup instead.
    if (names.has(tool.name)) throw new Error(`Two MCP tools are named ${tool.name}.`);
    names.add(tool.name);
  }
  return tools;
}

export function buildResourceCatalog(_services: McpServices): ResourceDefinition[] {
  return [employeesResource];
}
