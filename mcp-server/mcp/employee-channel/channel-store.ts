// The channel's rows: one SQL operation per function (hand out, read the open one, mark working, submit, cancel).
import type { Queryable } from '../../../core/store/store';

/** NOTIFY channel carrying the idempotency key of an assignment whose row changed. */
export const CHANNEL_NOTIFY = 'aura_employee_channel';

export type ChannelStatus = 'assigned' | 'working' | 'submitted' | 'cancelled';

export interface ChannelRow {
  idempotency_key: string;
  employee_id: string;
  run_id: string;
  task_id: string;
  attempt: number;
  assignment: unknown;
  status: ChannelStatus;
  result: unknown;
  deadline: Date;
}

const columns = 'idempotency_key, employee_id, run_id, task_id, attempt, assignment, status, result, deadline';

/** Hands an attempt out (again, if it was cancelled); an attempt already submitted keeps its result. */
export async function offerAssignment(q: Queryable, row: Omit<ChannelRow, 'status' | 'result'>): Promise<ChannelRow> {
  const result = await q.query<ChannelRow>(
    `INSERT INTO aura.channel_assignments (idempotency_key, employee_id, run_id, task_id, attempt, assignment, status, deadline)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'assigned', $7)
     ON CONFLICT (idempotency_key) DO UPDATE
       SET status = CASE WHEN aura.channel_assignments.status = 'cancelled' THEN 'assigned' ELSE aura.channel_assignments.status END,
           deadline = EXCLUDED.deadline, updated_at = now()
     RETURNING ${columns}`,
    [row.idempotency_key, row.employee_id, row.run_id, row.task_id, row.attempt, JSON.stringify(row.assignment), new Date(row.deadline).toISOString()],
  );
  await q.query('SELECT pg_notify($1, $2)', [CHANNEL_NOTIFY, row.idempotency_key]);
  return result.rows[0]!;
}

export async function readAssignment(q: Queryable, key: string): Promise<ChannelRow | undefined> {
  return (await q.query<ChannelRow>(`SELECT ${columns} FROM aura.channel_assignments WHERE idempotency_key = $1`, [key])).rows[0];
}

/** The employee's oldest open assignment: the one it must work on. */
export async function openAssignmentOf(q: Queryable, employeeId: string): Promise<ChannelRow | undefined> {
  return (
    await q.query<ChannelRow>(
      `SELECT ${columns} FROM aura.channel_assignments WHERE employee_id = $1 AND status IN ('assigned', 'working') ORDER BY created_at, idempotency_key LIMIT 1`,
      [employeeId],
    )
  ).rows[0];
}

/** The employee's open assignment for this task, locked for the caller's transaction. */
export async function lockOpenAssignment(q: Queryable, employeeId: string, taskId: string): Promise<ChannelRow | undefined> {
  return (
    await q.query<ChannelRow>(
      `SELECT ${columns} FROM aura.channel_assignments WHERE employee_id = $1 AND task_id = $2 AND status IN ('assigned', 'working') FOR UPDATE`,
      [employeeId, taskId],
    )
  ).rows[0];
}

export async function markWorking(q: Queryable, key: string): Promise<void> {
  await q.query(`UPDATE aura.channel_assignments SET status = 'working', updated_at = now() WHERE idempotency_key = $1 AND status = 'assigned'`, [key]);
}

export async function submitAssignment(q: Queryable, key: string, result: unknown): Promise<void> {
  await q.query(`UPDATE aura.channel_assignments SET status = 'submitted', result = $2::jsonb, updated_at = now() WHERE idempotency_key = $1`, [key, JSON.stringify(result)]);
  await q.query('SELECT pg_notify($1, $2)', [CHANNEL_NOTIFY, key]);
}

/** Withdraws open assignments (the attempt was stopped); returns how many. */
export async function cancelAssignments(q: Queryable, where: { key?: string; taskId?: string }): Promise<number> {
  const result = await q.query(
    `UPDATE aura.channel_assignments SET status = 'cancelled', updated_at = now()
      WHERE status IN ('assigned', 'working') AND ($1::text IS NULL OR idempotency_key = $1) AND ($2::text IS NULL OR task_id = $2)`,
    [where.key ?? null, where.taskId ?? null],
  );
  return result.rowCount;
}
