// A stopping Manager hands back the attempts it still holds: they are ready again and resume with the same
// attempt and idempotency key (a claimed task is always released, whatever stops the process short of a crash).
import type { EventLog } from '../events/event-log';
import type { Store } from '../store/store';
import type { HeldLease } from './renew-leases';
import { QUEUE_CHANNEL } from './queue-channel';

export async function releaseLeases(store: Store, events: EventLog, input: { owner: string; leases: readonly HeldLease[]; now: Date; actor: string }): Promise<number> {
  if (input.leases.length === 0) return 0;
  return store.transaction(async (tx) => {
    const rows = await tx.query<{ id: string; run_id: string; attempt: number }>(
      `UPDATE aura.tasks t SET status = 'ready', resume_attempt = true, lease_owner = NULL, lease_until = NULL, updated_at = $4
         FROM unnest($1::text[], $2::int[]) AS l (id, attempt)
        WHERE t.id = l.id AND t.attempt = l.attempt AND t.status = 'running' AND t.lease_owner = $3
       RETURNING t.id, t.run_id, t.attempt`,
      [input.leases.map((l) => l.taskId), input.leases.map((l) => l.attempt), input.owner, input.now.toISOString()],
    );
    await events.appendIn(
      tx,
      rows.rows.map((r) => ({ type: 'TaskReady' as const, runId: r.run_id, taskId: r.id, actor: input.actor, payload: { reason: `its Manager stopped; attempt ${r.attempt} resumes` } })),
    );
    if (rows.rows.length) await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, '']);
    return rows.rows.length;
  });
}
