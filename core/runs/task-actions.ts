// The Director's task actions: retry a dead letter (optionally with edits) or skip a task (its dependents go on).
import { newId } from '../domain/ids';
import { AuraError, describeIssues } from '../domain/errors';
import { type PlanTask, planTaskSchema } from '../manager/plan-schema';
import { QUEUE_CHANNEL } from '../queue/queue-channel';
import { releasedEvents, releaseDependents } from '../queue/release-dependents';
import { settledEvents, settleRuns } from '../queue/settle-runs';
import { type TaskStatus } from '../queue/task-status';
import type { Queryable } from '../store/store';
import { actorSchema, parseInput, reasonSchema, type RetryTaskInput, retryTaskInputSchema, type TaskEdits } from './inputs';
import type { RunServiceDeps } from './run-service-deps';
import { lockOpenRun, reopenIfPartial } from './run-transitions';
import { getTask, type TaskDetail } from './task-queries';

interface LockedTask {
  id: string;
  run_id: string;
  key: string;
  status: TaskStatus;
  spec: unknown;
  attempt: number;
  deps_remaining: number;
}

/** Locks a task's run, then the task (the lock order); `not_found` when either is missing. */
export async function lockTask(tx: Queryable, taskId: string, action: string): Promise<{ task: LockedTask; runStatus: Awaited<ReturnType<typeof lockOpenRun>> }> {
  const runId = (await tx.query<{ run_id: string }>('SELECT run_id FROM aura.tasks WHERE id = $1', [taskId])).rows[0]?.run_id;
  if (!runId) throw new AuraError('not_found', `No task with id "${taskId}".`);
  const runStatus = await lockOpenRun(tx, runId, action);
  const task = (await tx.query<LockedTask>('SELECT id, run_id, key, status, spec, attempt, deps_remaining FROM aura.tasks WHERE id = $1 FOR UPDATE', [taskId])).rows[0]!;
  return { task, runStatus };
}

/** Applies the Director's edits to a task's spec; the result must still be a valid plan task. */
export function editSpec(spec: unknown, edits: TaskEdits | undefined): PlanTask {
  const current = planTaskSchema.parse(spec);
  if (!edits || Object.keys(edits).length === 0) return current;
  const next = planTaskSchema.safeParse({ ...current, ...edits });
  if (!next.success) throw new AuraError('invalid_input', `The edits make an invalid task: ${describeIssues(next.error.issues)}`);
  return next.data;
}

export async function retryTask(deps: RunServiceDeps, taskId: string, input: RetryTaskInput, actor: string): Promise<TaskDetail> {
  const { edits } = parseInput(retryTaskInputSchema, input ?? {}, 'retry');
  const who = parseInput(actorSchema, actor, 'actor');
  await deps.store.transaction(async (tx) => {
    const { task, runStatus } = await lockTask(tx, taskId, 'have its tasks retried');
    if (task.status !== 'dead_letter') throw new AuraError('conflict', `Task ${taskId} is ${task.status}; only a dead-lettered task can be retried.`);
    const spec = editSpec(task.spec, edits);
    const now = deps.clock.now();
    // An approval task needs no employee: retried with its dependencies done, it asks the Director again at once.
    const status = task.deps_remaining > 0 ? 'pending' : spec.kind === 'approval' ? 'awaiting_approval' : 'ready';
    await tx.query(
      `UPDATE aura.tasks SET status = $2, spec = $3::jsonb, title = $4, max_attempts = $5, timeout_ms = $6, attempt_floor = attempt,
              tried_employees = '{}', resume_attempt = false, lease_expiries = 0, not_before = NULL, finished_at = NULL, updated_at = $7
        WHERE id = $1`,
      [taskId, status, JSON.stringify(spec), spec.title, spec.maxAttempts, spec.timeoutMs, now.toISOString()],
    );
    await deps.events.appendIn(tx, [
      { type: 'TaskRequeued', runId: task.run_id, taskId, actor: who, payload: { reason: 'retried by the Director', edits: edits && Object.keys(edits).length ? edits : undefined } },
      ...(status === 'ready' ? [{ type: 'TaskReady' as const, runId: task.run_id, taskId, actor: who, payload: { reason: 'retried by the Director' } }] : []),
    ]);
    if (status === 'awaiting_approval') {
      const approvalId = newId('apr', now);
      await tx.query(`INSERT INTO aura.approvals (id, run_id, task_id, subject, reason, requested_at) VALUES ($1, $2, $3, 'task', 'an approval task of the plan', $4)`, [approvalId, task.run_id, taskId, now.toISOString()]);
      await deps.events.appendIn(tx, [{ type: 'ApprovalRequested', runId: task.run_id, taskId, actor: who, payload: { approvalId, reason: 'an approval task of the plan', subject: 'task' } }]);
    }
    await reopenIfPartial(tx, deps.events, { runId: task.run_id, status: runStatus, reason: `task ${task.key} retried`, actor: who, now });
    await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, task.run_id]);
  });
  return getTask(deps.store, taskId);
}

const skippable: readonly TaskStatus[] = ['pending', 'ready', 'running', 'retry_wait', 'awaiting_approval', 'dead_letter'];

export async function skipTask(deps: RunServiceDeps, taskId: string, reason: string, actor: string): Promise<TaskDetail> {
  const why = parseInput(reasonSchema, reason, 'reason');
  const who = parseInput(actorSchema, actor, 'actor');
  await deps.store.transaction(async (tx) => {
    const { task, runStatus } = await lockTask(tx, taskId, 'have its tasks skipped');
    if (!skippable.includes(task.status)) throw new AuraError('conflict', `Task ${taskId} is ${task.status}; it cannot be skipped.`);
    const now = deps.clock.now();
    const at = now.toISOString();
    await tx.query(`UPDATE aura.tasks SET status = 'skipped', lease_owner = NULL, lease_until = NULL, not_before = NULL, finished_at = $2, updated_at = $2 WHERE id = $1`, [taskId, at]);
    await tx.query(`UPDATE aura.approvals SET status = 'cancelled', decided_at = $2, note = 'task skipped' WHERE task_id = $1 AND status = 'pending'`, [taskId, at]);
    await deps.events.appendIn(tx, [{ type: 'TaskSkipped', runId: task.run_id, taskId, actor: who, payload: { reason: why } }]);
    const released = await releaseDependents(tx, [taskId], now);
    await deps.events.appendIn(tx, releasedEvents(released, who));
    if (released.length) await reopenIfPartial(tx, deps.events, { runId: task.run_id, status: runStatus, reason: `task ${task.key} skipped; its dependents can run`, actor: who, now });
    await deps.events.appendIn(tx, settledEvents(await settleRuns(tx, [task.run_id], now), who));
    if (task.status === 'running') await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, `cancel:${task.run_id}`]);
  });
  return getTask(deps.store, taskId);
}
