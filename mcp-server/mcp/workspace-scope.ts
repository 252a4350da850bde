// Keeps a session inside its token's team workspace (docs/tenancy.md): which tools and resources it reaches, and the
// check every id it names goes through. An object of another workspace answers exactly as one that does not exist.
import { AuraError } from '../../core/domain/errors';
import type { Queryable } from '../../core/store/store';
import { DEFAULT_WORKSPACE } from '../../core/tenancy/workspace';
import { type OwnedKind, workspaceOf } from '../../core/tenancy/workspace-filter';
import type { Principal } from '../auth/roles';
import type { ToolDefinition, ToolGroup } from './tool-definition';

/**
 * What is not scoped to workspaces yet (policies and retention, webhooks, saved templates, the whole-log audit and
 * evidence by hash) stays with 'default': tokens of other workspaces neither list nor call these tools. (Memory is
 * divided: its tools work on the token's workspace's memory.)
 */
const unscopedGroups: ReadonlySet<ToolGroup> = new Set(['governance', 'notifications', 'templates']);
const unscopedTools: ReadonlySet<string> = new Set(['verify_audit', 'get_evidence']);

export function reachesTool(principal: Principal, tool: ToolDefinition): boolean {
  return principal.workspaceId === DEFAULT_WORKSPACE || !(unscopedGroups.has(tool.group) || unscopedTools.has(tool.name));
}

export function unscopedRefusal(principal: Principal, name: string): AuraError {
  return new AuraError(
    'forbidden',
    `${name} works on what is not divided into team workspaces yet (policies, webhooks, saved templates, the whole audit log); only tokens of workspace "${DEFAULT_WORKSPACE}" may call it, and this token is scoped to "${principal.workspaceId}".`,
  );
}

const label: Record<OwnedKind, string> = { run: 'run', task: 'task', approval: 'approval', held_command: 'held command', integration_call: 'integration call', employee: 'employee' };

/** Throws not_found, worded as for an id that does not exist, unless the object exists in the principal's workspace. */
export async function assertInWorkspace(q: Queryable, principal: Principal, kind: OwnedKind, id: string): Promise<void> {
  if ((await workspaceOf(q, kind, id)) !== principal.workspaceId) throw new AuraError('not_found', `No ${label[kind]} with id "${id}".`);
}

/** Tool arguments that name an object, and what kind of object each names. */
const argumentKinds: Record<string, (value: string) => OwnedKind> = {
  runId: () => 'run',
  // list_runs' cursor: a run of another workspace as `before` must not page differently from an unknown one.
  before: () => 'run',
  taskId: () => 'task',
  // An approval is answered by its id or by the id of the task awaiting it; a held command (tap_…) and an
  // integration write (iap_…) are ones too.
  approvalId: (value) => (value.startsWith('task_') ? 'task' : value.startsWith('tap_') ? 'held_command' : value.startsWith('iap_') ? 'integration_call' : 'approval'),
  employeeId: () => 'employee',
};
// (post_message's replyTo needs no check of its own: the question must be one of its run's, and the run is checked.)

/** Checks every id among a tool's (parsed) arguments before the tool runs. */
export async function assertArgumentsInWorkspace(q: Queryable, principal: Principal, args: Record<string, unknown>): Promise<void> {
  for (const [name, kindOf] of Object.entries(argumentKinds)) {
    const value = args[name];
    if (typeof value === 'string') await assertInWorkspace(q, principal, kindOf(value), value);
  }
}
