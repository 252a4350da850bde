// Changes an employee's lifecycle status inside the caller's transaction, with the same events the registry records.
import { AuraError } from '../../domain/errors';
import type { EventLog } from '../../events/event-log';
import type { Queryable } from '../../store/store';
import type { EmployeeStatus } from '../../workforce/employee';
import type { Streak } from './hr-rules';

// The registry's transition table (core/workforce/employee-registry.ts), repeated because HR must change status
// inside the attempt's transaction, which the registry's own setStatus (its own transaction) cannot join.
const transitions: Record<EmployeeStatus, readonly EmployeeStatus[]> = {
  hired: ['active', 'probation', 'suspended', 'terminated'],
  probation: ['active', 'suspended', 'terminated'],
  active: ['probation', 'suspended', 'terminated'],
  suspended: ['active', 'probation', 'terminated'],
  terminated: [],
};

const eventOf = (status: EmployeeStatus) =>
  status === 'suspended' ? 'EmployeeSuspended' : status === 'terminated' ? 'EmployeeTerminated' : status === 'probation' ? 'EmployeeOnProbation' : 'EmployeeReinstated';

/** Returns false when the employee already has that status; throws `conflict` for a transition the registry forbids. */
export async function changeStatusIn(tx: Queryable, events: EventLog, input: { employeeId: string; to: EmployeeStatus; reason: string; actor: string; now: Date }): Promise<boolean> {
  const row = (await tx.query<{ status: EmployeeStatus }>('SELECT status FROM aura.employees WHERE id = $1 FOR UPDATE', [input.employeeId])).rows[0];
  if (!row) throw new AuraError('not_found', `No employee with id "${input.employeeId}".`);
  if (row.status === input.to) return false;
  if (!transitions[row.status].includes(input.to)) throw new AuraError('conflict', `Employee ${input.employeeId} is ${row.status}; it cannot become ${input.to}.`);
  await tx.query('UPDATE aura.employees SET status = $2, updated_at = $3 WHERE id = $1', [input.employeeId, input.to, input.now.toISOString()]);
  await events.appendIn(tx, [{ type: eventOf(input.to), actor: input.actor, payload: { employeeId: input.employeeId, reason: input.reason } }]);
  await resetStreakIn(tx, input.employeeId, input.now);
  return true;
}

export async function readStreakIn(tx: Queryable, employeeId: string): Promise<Streak> {
  const row = (await tx.query<{ failures: number; successes: number }>('SELECT failures, successes FROM aura.hr_streaks WHERE employee_id = $1 FOR UPDATE', [employeeId])).rows[0];
  return { failures: Number(row?.failures ?? 0), successes: Number(row?.successes ?? 0) };
}

export async function writeStreakIn(tx: Queryable, employeeId: string, streak: Streak, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO aura.hr_streaks (employee_id, failures, successes, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (employee_id) DO UPDATE SET failures = EXCLUDED.failures, successes = EXCLUDED.successes, updated_at = EXCLUDED.updated_at`,
    [employeeId, streak.failures, streak.successes, now.toISOString()],
  );
}

/** A status change starts the count again: probation is judged on work done while on probation. */
export async function resetStreakIn(tx: Queryable, employeeId: string, now: Date): Promise<void> {
  await writeStreakIn(tx, employeeId, { failures: 0, successes: 0 }, now);
}
