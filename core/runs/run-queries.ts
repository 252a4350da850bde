// Reads of runs: one run with its plan DAG, task states, progress and cost; a page of runs with progress.
import { AuraError } from '../domain/errors';
import type { Queryable } from '../store/store';
import { type Task, taskColumns, type TaskRow, toTask } from '../queue/task-row';
import { type TaskStatus, taskStatuses } from '../queue/task-status';
import { deadLettersBlocking } from './blocked-by';
import { type Approval, approvalColumns, type ApprovalRow, toApproval } from './approval-row';
import { type ListRunsInput, listRunsInputSchema, parseInput } from './inputs';
import { type Run, runColumns, type RunRow, type RunSummary, toRun, toRunSummary } from './run-row';

export type Progress = Record<TaskStatus, number> & { total: number };

export interface RunDetail extends Run {
  progress: Progress;
  /** Every task of the run in queue order (tasks a replan removed have inPlan false), with the dead letters a waiting one is held back by. */
  tasks: Array<Task & { blockedBy: string[] }>;
  pendingApprovals: Approval[];
}

export interface RunListItem extends RunSummary {
  progress: Progress;
}

export function toProgress(counts: Record<string, number> | null | undefined): Progress {
  const progress = { total: 0 } as Progress;
  for (const status of taskStatuses) {
    progress[status] = Number(counts?.[status] ?? 0);
    progress.total += progress[status];
  }
  return progress;
}

export async function getRun(q: Queryable, runId: string): Promise<RunDetail> {
  const row = (await q.query<RunRow>(`SELECT ${runColumns} FROM aura.runs WHERE id = $1`, [runId])).rows[0];
  if (!row) throw new AuraError('not_found', `No run with id "${runId}".`);
  const rows = (await q.query<TaskRow>(`SELECT ${taskColumns} FROM aura.tasks WHERE run_id = $1 ORDER BY seq`, [runId])).rows.map((r) => {
    const task = toTask(r);
    return { ...task, dependsOn: task.spec.dependsOn };
  });
  const blocked = deadLettersBlocking(rows);
  const tasks = rows.map((t) => ({ ...t, blockedBy: t.inPlan ? (blocked.get(t.key) ?? []) : [] }));
  const approvals = await q.query<ApprovalRow>(`SELECT ${approvalColumns} FROM aura.approvals WHERE run_id = $1 AND status = 'pending' ORDER BY requested_at, id`, [runId]);
  const counts: Record<string, number> = {};
  for (const t of tasks) if (t.inPlan) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return { ...toRun(row), progress: toProgress(counts), tasks, pendingApprovals: approvals.rows.map(toApproval) };
}

export async function listRuns(q: Queryable, input: ListRunsInput = {}): Promise<RunListItem[]> {
  const filter = parseInput(listRunsInputSchema, input, 'run filter');
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status?.length) where.push(`r.status = ANY ($${params.push(filter.status)}::text[])`);
  if (filter.workspaceId) where.push(`r.workspace_id = $${params.push(filter.workspaceId)}`);
  if (filter.before) where.push(`(r.created_at, r.id) < (SELECT created_at, id FROM aura.runs WHERE id = $${params.push(filter.before)})`);
  const columns = runColumns
    .split(', ')
    .filter((c) => c !== 'prd' && c !== 'plan')
    .map((c) => `r.${c}`)
    .join(', ');
  const rows = await q.query<RunRow & { progress: Record<string, number> | null }>(
    `SELECT ${columns},
            (SELECT jsonb_object_agg(s.status, s.n) FROM (SELECT status, count(*) AS n FROM aura.tasks WHERE run_id = r.id AND in_plan GROUP BY status) s) AS progress
       FROM aura.runs r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${filter.limit}`,
    params,
  );
  return rows.rows.map((row) => ({ ...toRunSummary(row), progress: toProgress(row.progress) }));
}
