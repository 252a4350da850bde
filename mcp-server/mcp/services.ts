// The core services the MCP surface exposes; a capability whose service is absent has no tools at all.
import type { CoreContext } from '../../core/core-context';
import type { ApprovalsService } from '../../core/governance/approvals/approvals-service';
import type { GovernanceServices } from '../../core/governance/create-governance';
import type { Requester } from '../../core/governance/requester';
import type { IntegrationsService } from '../../core/integrations/integrations-service';
import type { NotificationsService } from '../../core/notifications/notifications-service';
import type { MemoryService } from '../../core/memory/memory-service';
import type { Orchestrator } from '../../core/orchestrator';
import type { TemplateLibrary } from '../../core/templates/template-library';
import type { EmployeeRegistry } from '../../core/workforce/employee-registry';
import type { ModelProvider } from '../../core/workforce/model-provider';
import type { Principal } from '../auth/roles';
import { actorOf } from '../auth/roles';
import type { StreamNotifier } from './stream-notifier';

export interface McpServices {
  core: CoreContext;
  employees: EmployeeRegistry;
  /** Committed appends, by stream: drives resource subscriptions. */
  notifier: StreamNotifier;
  /** The Manager: runs, tasks, approvals' backend, events. */
  orchestrator?: Orchestrator;
  /** Policies, evidence, scores, HR, retention. */
  governance?: GovernanceServices;
  /** The Director's gates (needs governance connected to the orchestrator). */
  approvals?: ApprovalsService;
  /** Webhook subscriptions and their deliveries. */
  notifications?: NotificationsService;
  /** Connectors to external systems (Jira, Slack, GitHub) and their calls. */
  integrations?: IntegrationsService;
  /** Phase templates: the shipped library and the Director's own. */
  templates?: TemplateLibrary;
  /** chat_manager answers with it when present. */
  plannerModel?: ModelProvider;
  /** User, org, project and run memory. */
  memory?: MemoryService;
}

/** Who asks governance: the principal's actor and role (governance re-checks the Director-only actions itself). */
export function requesterOf(principal: Principal): Requester {
  return { actor: actorOf(principal), role: principal.role };
}
