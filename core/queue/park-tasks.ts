// Tasks governance stops before assignment: held for the Director's approval, or refused outright (dead letter).
import { newId } from '../domain/ids';
import type { EventLog, NewEvent } from '../events/event-log';
import type { Store } from '../store/store';
import { lockRuns } from './lock-runs';
import { settledEvents, settleRuns } from './settle-runs';

export interface ParkRequest {
  taskId: string;
  runId: string;
  rule: string;
  reason: string;
}

/** ready → awaiting_approval with an approval row and ApprovalRequested; tasks no longer ready are left alone. */
export async function holdForApproval(store: Store, events: EventLog, input: { requests: readonly ParkRequest[]; now: Date; actor: string }): Promise<string[]> {
  if (input.requests.length === 0) return [];
  return store.transaction(async (tx) => {
    await lockRuns(tx, input.requests.map((r) => r.runId));
    const at = input.now.toISOString();
    const out: NewEvent[] = [];
    const held: string[] = [];
    for (const r of input.requests) {
      const moved = await tx.query(`UPDATE aura.tasks SET status = 'awaiting_approval', updated_at = $2 WHERE id = $1 AND status = 'ready' RETURNING id`, [r.taskId, at]);
      if (!moved.rows.length) continue;
      const approvalId = newId('apr', input.now);
      const reason = `policy ${r.rule}: ${r.reason}`;
      await tx.query(`INSERT INTO aura.approvals (id, run_id, task_id, subject, reason, rule, requested_at) VALUES ($1, $2, $3, 'task', $4, $5, $6)`, [approvalId, r.runId, r.taskId, r.reason, r.rule, at]);
      out.push({ type: 'ApprovalRequested', runId: r.runId, taskId: r.taskId, actor: input.actor, payload: { approvalId, reason, subject: 'task' } });
      held.push(r.taskId);
    }
    await events.appendIn(tx, out);
    return held;
  });
}

/** ready → dead_letter: a policy refused the task (not retryable; the Director may edit and retry it). */
export async function refuseTasks(store: Store, events: EventLog, input: { requests: readonly ParkRequest[]; now: Date; actor: string }): Promise<string[]> {
  if (input.requests.length === 0) return [];
  return store.transaction(async (tx) => {
    const runIds = input.requests.map((r) => r.runId);
    await lockRuns(tx, runIds);
    const at = input.now.toISOString();
    const out: NewEvent[] = [];
    const refused: string[] = [];
    for (const r of input.requests) {
      const reason = `refused by policy ${r.rule}: ${r.reason}`;
      const moved = await tx.query<{ attempt: number; attempt_floor: number }>(
        `UPDATE aura.tasks SET status = 'dead_letter', last_error = $2, finished_at = $3, updated_at = $3 WHERE id = $1 AND status = 'ready' RETURNING attempt, attempt_floor`,
        [r.taskId, reason, at],
      );
      const row = moved.rows[0];
      if (!row) continue;
      out.push({ type: 'TaskDeadLettered', runId: r.runId, taskId: r.taskId, actor: input.actor, payload: { attempts: Number(row.attempt) - Number(row.attempt_floor), reason } });
      refused.push(r.taskId);
    }
    out.push(...settledEvents(await settleRuns(tx, runIds, input.now), input.actor));
    await events.appendIn(tx, out);
    return refused;
  });
}
