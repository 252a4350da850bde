// The core services the MCP surface exposes; a capability whose service is absent has no tools at all.
import type { CoreContext } from '../../core/core-context';
import type { EmployeeRegistry } from '../../core/workforce/employee-registry';
import type { StreamNotifier } from './stream-notifier';

export interface McpServices {
  core: CoreContext;
  employees: EmployeeRegistry;
  /** Committed appends, by stream: drives resource subscriptions. */
  notifier: StreamNotifier;
}
