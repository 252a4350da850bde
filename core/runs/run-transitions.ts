// Small run-level steps shared by the Director's actions: lock a run and check it can change, reopen a
// partial run that has work again, cancel what is left of a run.
import { AuraError } from '../domain/errors';
import type { EventLog, NewEvent } from '../events/event-log';
import { lockRuns } from '../queue/lock-runs';
import { QUEUE_CHANNEL } from '../queue/queue-channel';
import type { Queryable } from '../store/store';
import { finalRunStatuses, type RunStatus } from './run-row';

/** Locks the run and returns its status; a missing run is `not_found`, a finished one `conflict`. */
export async function lockOpenRun(tx: Queryable, runId: string, action: string): Promise<RunStatus> {
  const status = (await lockRuns(tx, [runId])).get(runId) as RunStatus | undefined;
  if (!status) throw new AuraError('not_found', `No run with id "${runId}".`);
  if (finalRunStatuses.includes(status)) throw new AuraError('conflict', `Run ${runId} is ${status}; it cannot ${action}.`);
  return status;
}

/** A blocked or partial run (held back by dead letters) that has work again goes back to running. */
export async function reopenIfPartial(tx: Queryable, events: EventLog, input: { runId: string; status: RunStatus; reason: string; actor: string; now: Date }): Promise<RunStatus> {
  if (input.status !== 'partial' && input.status !== 'blocked') return input.status;
  await tx.query(`UPDATE aura.runs SET status = 'running', status_reason = NULL, finished_at = NULL, updated_at = $2 WHERE id = $1`, [input.runId, input.now.toISOString()]);
  await events.appendIn(tx, [{ type: 'RunResumed', runId: input.runId, actor: input.actor, payload: { reason: input.reason } }]);
  await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, input.runId]);
  return 'running';
}

/**
 * Cancels every task of the run that has not succeeded or been skipped, and its pending approvals. Holders
 * of running tasks lose their lease (their heartbeat finds out and stops the employee).
 */
export async function cancelRemainingTasks(tx: Queryable, input: { runId: string; reason: string; actor: string; now: Date }): Promise<NewEvent[]> {
  const at = input.now.toISOString();
  const cancelled = await tx.query<{ id: string }>(
    `UPDATE aura.tasks SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, finished_at = $2, updated_at = $2
      WHERE id IN (SELECT id FROM aura.tasks WHERE run_id = $1 AND status NOT IN ('succeeded', 'skipped', 'cancelled') ORDER BY seq FOR UPDATE)
     RETURNING id`,
    [input.runId, at],
  );
  await tx.query(`UPDATE aura.approvals SET status = 'cancelled', decided_at = $2, note = $3 WHERE run_id = $1 AND status = 'pending'`, [input.runId, at, input.reason]);
  // Wakes schedulers so the holders of cancelled tasks check their leases now rather than at the next heartbeat.
  if (cancelled.rows.length) await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, `cancel:${input.runId}`]);
  return cancelled.rows.map((r) => ({ type: 'TaskCancelled' as const, runId: input.runId, taskId: r.id, actor: input.actor, payload: { reason: input.reason } }));
}
