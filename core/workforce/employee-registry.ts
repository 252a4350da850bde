// The employee registry: hire with a validated profile, read, and change lifecycle status (each an event).
import { z } from 'zod';
import type { EventLog } from '../events/event-log';
import { AuraError, describeIssues } from '../domain/errors';
import { newId } from '../domain/ids';
import type { Queryable, Store } from '../store/store';
import { DEFAULT_WORKSPACE } from '../tenancy/workspace';
import { type Employee, type EmployeeProfile, type EmployeeStatus, employeeProfileSchema, employeeStatuses, profileProblem } from './employee';

interface EmployeeRow {
  id: string;
  profile: unknown;
  status: string;
  tier: string;
  hired_at: Date;
  workspace_id: string;
}

const columns = 'id, profile, status, tier, hired_at, workspace_id';

function toEmployee(row: EmployeeRow): Employee {
  return {
    id: row.id,
    profile: employeeProfileSchema.parse(row.profile),
    status: z.enum(employeeStatuses).parse(row.status),
    tier: row.tier,
    hiredAt: row.hired_at,
    workspaceId: row.workspace_id,
  };
}

/** Which status changes are allowed; a terminated employee never comes back. */
const transitions: Record<EmployeeStatus, readonly EmployeeStatus[]> = {
  hired: ['active', 'probation', 'suspended', 'terminated'],
  probation: ['active', 'suspended', 'terminated'],
  active: ['probation', 'suspended', 'terminated'],
  suspended: ['active', 'probation', 'terminated'],
  terminated: [],
};

export interface EmployeeRegistry {
  /** Hires into a team workspace ('default' when not given). */
  hire(input: unknown, actor: string, workspaceId?: string): Promise<Employee>;
  get(id: string, tx?: Queryable): Promise<Employee>;
  list(filter?: { status?: readonly EmployeeStatus[]; workspaceId?: string }): Promise<Employee[]>;
  /** Moves an employee to a new status and records why; returns the updated employee. */
  setStatus(id: string, status: EmployeeStatus, reason: string, actor: string): Promise<Employee>;
  setTier(tx: Queryable, id: string, tier: string): Promise<void>;
}

export function createEmployeeRegistry(deps: { store: Store; events: EventLog }): EmployeeRegistry {
  const { store, events } = deps;
  const get = async (id: string, tx: Queryable = store) => {
    const row = (await tx.query<EmployeeRow>(`SELECT ${columns} FROM aura.employees WHERE id = $1`, [id])).rows[0];
    if (!row) throw new AuraError('not_found', `No employee with id "${id}".`);
    return toEmployee(row);
  };
  return {
    async hire(input, actor, workspaceId = DEFAULT_WORKSPACE) {
      const parsed = employeeProfileSchema.safeParse(input);
      if (!parsed.success) throw new AuraError('invalid_input', `Invalid employee profile: ${describeIssues(parsed.error.issues)}`);
      const profile: EmployeeProfile = parsed.data;
      const problem = profileProblem(profile);
      if (problem) throw new AuraError('invalid_input', `Invalid employee profile: ${problem}`);
      const id = newId('emp');
      return store.transaction(async (tx) => {
        const taken = await tx.query('SELECT 1 FROM aura.employees WHERE name = $1', [profile.name]);
        if (taken.rowCount) throw new AuraError('conflict', `An employee named "${profile.name}" already exists.`);
        const row = (
          await tx.query<EmployeeRow>(
            `INSERT INTO aura.employees (id, name, provider, model, skills, profile, workspace_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${columns}`,
            [id, profile.name, profile.provider, profile.model, profile.skills, JSON.stringify(profile), workspaceId],
          )
        ).rows[0]!;
        await events.appendIn(tx, [{ type: 'EmployeeHired', actor, payload: { employeeId: id, name: profile.name, provider: profile.provider, model: profile.model, skills: profile.skills, workspaceId } }]);
        return toEmployee(row);
      });
    },
    get,
    async list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status?.length) where.push(`status = ANY($${params.push(filter.status)}::text[])`);
      if (filter.workspaceId) where.push(`workspace_id = $${params.push(filter.workspaceId)}`);
      const rows = await store.query<EmployeeRow>(`SELECT ${columns} FROM aura.employees ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY hired_at, id`, params);
      return rows.rows.map(toEmployee);
    },
    async setStatus(id, status, reason, actor) {
      return store.transaction(async (tx) => {
        const row = (await tx.query<EmployeeRow>(`SELECT ${columns} FROM aura.employees WHERE id = $1 FOR UPDATE`, [id])).rows[0];
        if (!row) throw new AuraError('not_found', `No employee with id "${id}".`);
        const current = toEmployee(row);
        if (current.status === status) return current;
        if (!transitions[current.status].includes(status)) {
          throw new AuraError('conflict', `Employee ${id} is ${current.status}; it cannot become ${status}.`);
        }
        const updated = (await tx.query<EmployeeRow>(`UPDATE aura.employees SET status = $2, updated_at = now() WHERE id = $1 RETURNING ${columns}`, [id, status])).rows[0]!;
        const type = status === 'suspended' ? 'EmployeeSuspended' : status === 'terminated' ? 'EmployeeTerminated' : status === 'probation' ? 'EmployeeOnProbation' : 'EmployeeReinstated';
        await events.appendIn(tx, [{ type, actor, payload: { employeeId: id, reason } }]);
        return toEmployee(updated);
      });
    },
    async setTier(tx, id, tier) {
      await tx.query('UPDATE aura.employees SET tier = $2, updated_at = now() WHERE id = $1', [id, tier]);
    },
  };
}
