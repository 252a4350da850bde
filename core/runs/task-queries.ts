// Reads of tasks: a page by run and status, one task with its pending approval, and the dead-letter queue.
import { AuraError } from '../domain/errors';
import type { Queryable } from '../store/store';
import { runInWorkspace } from '../tenancy/workspace-filter';
import { type Task, taskColumns, type TaskRow, toTask } from '../queue/task-row';
import { deadLettersBlocking } from './blocked-by';
import { type Approval, approvalColumns, type ApprovalRow, toApproval } from './approval-row';
import { type ListTasksInput, listTasksInputSchema, parseInput } from './inputs';

export interface TaskListItem extends Task {
  seq: number;
}

export interface TaskDetail extends TaskListItem {
  pendingApproval: Approval | null;
  /** For a waiting task: the keys of the dead letters that hold it back. */
  blockedBy: string[];
}

const withDeps = (row: TaskRow): TaskListItem => {
  const task = toTask(row);
  return { ...task, dependsOn: task.spec.dependsOn, seq: Number(row.seq) };
};

export async function listTasks(q: Queryable, input: ListTasksInput = {}): Promise<TaskListItem[]> {
  const filter = parseInput(listTasksInputSchema, input, 'task filter');
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.runId) where.push(`run_id = $${params.push(filter.runId)}`);
  if (filter.workspaceId) where.push(runInWorkspace('run_id', `$${params.push(filter.workspaceId)}`));
  if (filter.status?.length) where.push(`status = ANY ($${params.push(filter.status)}::text[])`);
  if (filter.afterSeq !== undefined) where.push(`seq > $${params.push(filter.afterSeq)}`);
  const rows = await q.query<TaskRow>(`SELECT ${taskColumns} FROM aura.tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ${filter.limit}`, params);
  return rows.rows.map(withDeps);
}

export async function getTask(q: Queryable, taskId: string): Promise<TaskDetail> {
  const row = (await q.query<TaskRow>(`SELECT ${taskColumns} FROM aura.tasks WHERE id = $1`, [taskId])).rows[0];
  if (!row) throw new AuraError('not_found', `No task with id "${taskId}".`);
  const approval = (await q.query<ApprovalRow>(`SELECT ${approvalColumns} FROM aura.approvals WHERE task_id = $1 AND status = 'pending'`, [taskId])).rows[0];
  const task = withDeps(row);
  let blockedBy: string[] = [];
  if (task.status === 'pending' && task.inPlan) {
    const dag = await q.query<{ key: string; status: string; spec: { dependsOn?: string[] }; in_plan: boolean }>('SELECT key, status, spec, in_plan FROM aura.tasks WHERE run_id = $1', [task.runId]);
    const blocking = deadLettersBlocking(dag.rows.map((r) => ({ key: r.key, status: r.status, dependsOn: r.spec?.dependsOn ?? [], inPlan: r.in_plan })));
    blockedBy = blocking.get(task.key) ?? [];
  }
  return { ...task, pendingApproval: approval ? toApproval(approval) : null, blockedBy };
}

/** Tasks that used up their attempts (or were refused) and wait for the Director: retry, skip, or cancel the run. */
export async function listDeadLetters(q: Queryable, filter: { runId?: string; workspaceId?: string } = {}): Promise<TaskListItem[]> {
  const where = ["status = 'dead_letter'"];
  const params: unknown[] = [];
  if (filter.runId) where.push(`run_id = $${params.push(filter.runId)}`);
  if (filter.workspaceId) where.push(runInWorkspace('run_id', `$${params.push(filter.workspaceId)}`));
  const rows = await q.query<TaskRow>(`SELECT ${taskColumns} FROM aura.tasks WHERE ${where.join(' AND ')} ORDER BY finished_at, seq`, params);
  return rows.rows.map(withDeps);
}
