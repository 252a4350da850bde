// Leader duty: tasks whose retry wait is over become ready again (TaskReady), and schedulers are woken.
import type { EventLog } from '../events/event-log';
import type { Store } from '../store/store';
import { QUEUE_CHANNEL } from './queue-channel';

export async function promoteDueRetries(store: Store, events: EventLog, input: { now: Date; limit: number; actor: string }): Promise<number> {
  return store.transaction(async (tx) => {
    const rows = await tx.query<{ id: string; run_id: string; attempt: number }>(
      `UPDATE aura.tasks t SET status = 'ready', not_before = NULL, updated_at = $1
        WHERE t.id IN (SELECT id FROM aura.tasks WHERE status = 'retry_wait' AND not_before <= $1
                        ORDER BY not_before LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING t.id, t.run_id, t.attempt`,
      [input.now.toISOString(), input.limit],
    );
    if (rows.rows.length === 0) return 0;
    await events.appendIn(
      tx,
      rows.rows.map((r) => ({ type: 'TaskReady' as const, runId: r.run_id, taskId: r.id, actor: input.actor, payload: { reason: `retry wait over; attempt ${Number(r.attempt) + 1} next` } })),
    );
    await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, '']);
    return rows.rows.length;
  });
}
