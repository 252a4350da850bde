// The one way reads are scoped to a workspace: SQL fragments over the owning run, and which workspace owns an object.
import type { Queryable } from '../store/store';
import { DEFAULT_WORKSPACE } from './workspace';

/** `column` names a run id of `workspace` (given as SQL parameter `param`, e.g. `$3`). */
export function runInWorkspace(column: string, param: string): string {
  return `${column} IN (SELECT ws_r.id FROM aura.runs ws_r WHERE ws_r.workspace_id = ${param})`;
}

/**
 * The workspace an event of `aura.events` (alias `e`) belongs to: its run's; outside a run, the workspace its payload
 * names, else the workspace of the employee or token it is about, else 'default' (policies, memory, backups and other
 * events of what is not scoped to workspaces yet; see docs/tenancy.md).
 */
export function eventWorkspaceSql(e: string): string {
  return `CASE WHEN ${e}.run_id IS NOT NULL THEN (SELECT ws_r.workspace_id FROM aura.runs ws_r WHERE ws_r.id = ${e}.run_id)
    ELSE coalesce(${e}.payload ->> 'workspaceId',
                  (SELECT ws_e.workspace_id FROM aura.employees ws_e WHERE ws_e.id = ${e}.payload ->> 'employeeId'),
                  (SELECT ws_t.workspace_id FROM aura.mcp_tokens ws_t WHERE ws_t.id = ${e}.payload ->> 'tokenId'),
                  '${DEFAULT_WORKSPACE}') END`;
}

export type OwnedKind = 'run' | 'task' | 'approval' | 'held_command' | 'integration_call' | 'employee';

const ownerSql: Record<OwnedKind, string> = {
  run: 'SELECT workspace_id AS w FROM aura.runs WHERE id = $1',
  task: 'SELECT r.workspace_id AS w FROM aura.tasks t JOIN aura.runs r ON r.id = t.run_id WHERE t.id = $1',
  approval: 'SELECT r.workspace_id AS w FROM aura.approvals a JOIN aura.runs r ON r.id = a.run_id WHERE a.id = $1',
  held_command: 'SELECT r.workspace_id AS w FROM aura.tool_approvals a JOIN aura.runs r ON r.id = a.run_id WHERE a.id = $1',
  integration_call: 'SELECT workspace_id AS w FROM aura.integration_calls WHERE id = $1',
  employee: 'SELECT workspace_id AS w FROM aura.employees WHERE id = $1',
};

/** The workspace that owns the object, or null when there is no such object. */
export async function workspaceOf(q: Queryable, kind: OwnedKind, id: string): Promise<string | null> {
  const row = (await q.query<{ w: string }>(ownerSql[kind], [id])).rows[0];
  return row?.w ?? null;
}
