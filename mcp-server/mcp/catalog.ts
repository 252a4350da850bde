// The tools and resources this process serves: only those whose core service is present.
import type { ResourceDefinition } from './resources/resource-definition';
import { memoryResources } from './resources/memory-resources';
import { runChatResource } from './resources/run-chat-resource';
import { runResources } from './resources/run-resources';
import { employeesResource } from './resources/workforce-resources';
import type { McpServices } from './services';
import type { ToolDefinition } from './tool-definition';
import { approvalsTools } from './tools/approvals-tools';
import { auditTools } from './tools/audit-tools';
import { chatTools } from './tools/chat-tools';
import { diffTools } from './tools/diff-tools';
import { employeeTools } from './tools/employee-tools';
import { governanceTools } from './tools/governance-tools';
import { integrationsTools } from './tools/integrations-tools';
import { notificationsTools } from './tools/notifications-tools';
import { replayTools } from './tools/replay-tools';
import { memoryTools } from './tools/memory-tools';
import { runsTools } from './tools/runs-tools';
import { tasksTools } from './tools/tasks-tools';
import { templatesTools } from './tools/templates-tools';
import { workforceTools } from './tools/workforce-tools';

export function buildToolCatalog(services: McpServices, extra: readonly ToolDefinition[] = []): ToolDefinition[] {
  const tools = [
    ...runsTools(services),
    ...replayTools(services),
    ...tasksTools(services),
    ...diffTools(services),
    ...approvalsTools(services),
    ...workforceTools(services),
    ...auditTools(services),
    ...governanceTools(services),
    ...chatTools(services),
    ...notificationsTools(services),
    ...integrationsTools(services),
    ...templatesTools(services),
    ...employeeTools(services),
    ...memoryTools(services),
    ...extra,
  ];
  const names = new Set<string>();
  for (const tool of tools) {
    // A duplicate would silently shadow a tool in tools/call; fail at startup instead.
    if (names.has(tool.name)) throw new Error(`Two MCP tools are named ${tool.name}.`);
    names.add(tool.name);
  }
  return tools;
}

export function buildResourceCatalog(services: McpServices): ResourceDefinition[] {
  return [employeesResource, ...runResources(services.orchestrator), ...runChatResource(services.orchestrator), ...memoryResources(services.memory)];
}
