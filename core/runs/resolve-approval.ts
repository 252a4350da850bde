// The Director's answer to an approval: a task (approval-kind → succeeded; held by policy → ready, not asked
// again; rejected → dead letter), a plan (run starts or fails), or a replan (applied or dropped).
import { AuraError } from '../domain/errors';
import type { NewEvent } from '../events/event-log';
import type { Plan } from '../manager/plan-schema';
import { QUEUE_CHANNEL } from '../queue/queue-channel';
import { releasedEvents, releaseDependents } from '../queue/release-dependents';
import { settledEvents, settleRuns } from '../queue/settle-runs';
import type { TaskStatus } from '../queue/task-status';
import type { Queryable } from '../store/store';
import { applyPlan } from './apply-plan';
import { type Approval, approvalColumns, type ApprovalRow, toApproval } from './approval-row';
import { type ApprovalDecision, approvalDecisionSchema, parseInput } from './inputs';
import type { RunStatus } from './run-row';
import type { RunServiceDeps } from './run-service-deps';
import { cancelRemainingTasks, lockOpenRun } from './run-transitions';
import { editSpec } from './task-actions';

export interface ResolvedApproval extends Approval {
  /** The task's status after the decision (task approvals). */
  taskStatus: TaskStatus | null;
  runStatus: RunStatus;
}

/** `idOrTaskId`: an approval id (apr_…), or a task id (task_…) whose pending approval is meant. */
export async function resolveApproval(deps: RunServiceDeps, idOrTaskId: string, decision: ApprovalDecision): Promise<ResolvedApproval> {
  const d = parseInput(approvalDecisionSchema, decision, 'approval decision');
  const column = idOrTaskId.startsWith('task_') ? 'task_id' : 'id';
  const found = (await deps.store.query<{ id: string; run_id: string }>(`SELECT id, run_id FROM aura.approvals WHERE ${column} = $1 ORDER BY (status = 'pending') DESC, requested_at DESC LIMIT 1`, [idOrTaskId])).rows[0];
  if (!found) throw new AuraError('not_found', `No approval for "${idOrTaskId}".`);
  return deps.store.transaction(async (tx) => {
    await lockOpenRun(tx, found.run_id, 'take decisions');
    const row = (await tx.query<ApprovalRow>(`SELECT ${approvalColumns} FROM aura.approvals WHERE id = $1 FOR UPDATE`, [found.id])).rows[0]!;
    if (row.status !== 'pending') throw new AuraError('conflict', `Approval ${row.id} was already ${row.status}${row.decided_by ? ` by ${row.decided_by}` : ''}.`);
    const now = deps.clock.now();
    const at = now.toISOString();
    await tx.query('UPDATE aura.approvals SET status = $2, decided_by = $3, decided_at = $4, note = $5 WHERE id = $1', [row.id, d.approved ? 'approved' : 'rejected', d.by, at, d.note ?? null]);
    const base = { runId: row.run_id, taskId: row.task_id, actor: d.by };
    await deps.events.appendIn(tx, [
      d.approved ? { ...base, type: 'ApprovalGranted', payload: { approvalId: row.id, by: d.by, note: d.note } } : { ...base, type: 'ApprovalRejected', payload: { approvalId: row.id, by: d.by, reason: d.note! } },
    ]);
    const ctx = { tx, deps, row, d, now };
    let taskStatus: TaskStatus | null = null;
    if (row.subject === 'task') taskStatus = await decideTask(ctx);
    else if (row.subject === 'plan') await decidePlan(ctx);
    else if (d.approved) await decideReplan(ctx);
    const after = (await tx.query<ApprovalRow & { run_status: RunStatus }>(`SELECT a.*, r.status AS run_status FROM aura.approvals a JOIN aura.runs r ON r.id = a.run_id WHERE a.id = $1`, [row.id])).rows[0]!;
    return { ...toApproval(after), taskStatus, runStatus: after.run_status };
  });
}

interface DecisionContext {
  tx: Queryable;
  deps: RunServiceDeps;
  row: ApprovalRow;
  d: ApprovalDecision;
  now: Date;
}

async function decideTask({ tx, deps, row, d, now }: DecisionContext): Promise<TaskStatus> {
  const task = (await tx.query<{ id: string; kind: string; status: TaskStatus; spec: unknown; attempt: number; attempt_floor: number }>('SELECT id, kind, status, spec, attempt, attempt_floor FROM aura.tasks WHERE id = $1 FOR UPDATE', [row.task_id])).rows[0];
  if (!task || task.status !== 'awaiting_approval') throw new AuraError('conflict', `Task ${row.task_id} is ${task?.status ?? 'gone'}; it no longer awaits approval.`);
  const at = now.toISOString();
  const base = { runId: row.run_id, taskId: task.id, actor: d.by };
  const events: NewEvent[] = [];
  if (!d.approved) {
    const reason = `rejected by ${d.by}: ${d.note}`;
    await tx.query(`UPDATE aura.tasks SET status = 'dead_letter', last_error = $2, finished_at = $3, updated_at = $3 WHERE id = $1`, [task.id, reason, at]);
    events.push({ ...base, type: 'TaskDeadLettered', payload: { attempts: task.attempt - task.attempt_floor, reason } });
    await deps.events.appendIn(tx, [...events, ...settledEvents(await settleRuns(tx, [row.run_id], now), d.by)]);
    return 'dead_letter';
  }
  const spec = editSpec(task.spec, d.edits);
  if (task.kind === 'approval') {
    const attempt = task.attempt + 1;
    const summary = `approved by ${d.by}${d.note ? `: ${d.note}` : ''}`;
    await tx.query(
      `UPDATE aura.tasks SET status = 'succeeded', attempt = $2, spec = $3::jsonb, title = $4, result = $5::jsonb, finished_at = $6, started_at = coalesce(started_at, $6), updated_at = $6 WHERE id = $1`,
      [task.id, attempt, JSON.stringify(spec), spec.title, JSON.stringify({ summary, output: d.edits ? { edits: d.edits } : undefined, employeeId: null }), at],
    );
    events.push({ ...base, type: 'TaskSucceeded', payload: { employeeId: null, attempt, summary, costUsd: 0 } });
    const released = await releaseDependents(tx, [task.id], now);
    await deps.events.appendIn(tx, [...events, ...releasedEvents(released, d.by)]);
    await deps.events.appendIn(tx, settledEvents(await settleRuns(tx, [row.run_id], now), d.by));
    return 'succeeded';
  }
  await tx.query(`UPDATE aura.tasks SET status = 'ready', approval_granted = true, spec = $2::jsonb, title = $3, max_attempts = $4, timeout_ms = $5, updated_at = $6 WHERE id = $1`, [
    task.id,
    JSON.stringify(spec),
    spec.title,
    spec.maxAttempts,
    spec.timeoutMs,
    at,
  ]);
  await deps.events.appendIn(tx, [{ ...base, type: 'TaskReady', payload: { reason: `approved by ${d.by}` } }]);
  await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, row.run_id]);
  return 'ready';
}

async function decidePlan({ tx, deps, row, d, now }: DecisionContext): Promise<void> {
  const at = now.toISOString();
  if (d.approved) {
    await tx.query(`UPDATE aura.runs SET status = 'running', status_reason = NULL, updated_at = $2 WHERE id = $1 AND status = 'awaiting_approval'`, [row.run_id, at]);
    await deps.events.appendIn(tx, [{ type: 'RunResumed', runId: row.run_id, actor: d.by, payload: { reason: `plan approved by ${d.by}` } }]);
    await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, row.run_id]);
    return;
  }
  const reason = `plan rejected by ${d.by}: ${d.note}`;
  const cancelled = await cancelRemainingTasks(tx, { runId: row.run_id, reason, actor: d.by, now });
  const cost = (await tx.query<{ cost_usd: number }>(`UPDATE aura.runs SET status = 'failed', status_reason = $2, finished_at = $3, updated_at = $3 WHERE id = $1 RETURNING cost_usd`, [row.run_id, reason, at])).rows[0]!;
  await deps.events.appendIn(tx, [...cancelled, { type: 'RunFailed', runId: row.run_id, actor: d.by, payload: { reason, costUsd: Number(cost.cost_usd) } }]);
}

async function decideReplan({ tx, deps, row, d, now }: DecisionContext): Promise<void> {
  const proposal = row.proposal as { plan: Plan; planHash: string; planner: string; prd: string; version: number };
  await applyPlan(tx, deps.events, { runId: row.run_id, plan: proposal.plan, planHash: proposal.planHash, planner: proposal.planner, prd: proposal.prd, version: proposal.version, actor: d.by, now });
}
