// Renews the leases a Manager holds (its heartbeat); returns the tasks it still holds. Not a transition: no event.
import type { Queryable } from '../store/store';

export interface HeldLease {
  taskId: string;
  attempt: number;
}

export async function renewLeases(q: Queryable, input: { owner: string; leases: readonly HeldLease[]; until: Date }): Promise<Set<string>> {
  if (input.leases.length === 0) return new Set();
  const rows = await q.query<{ id: string }>(
    `UPDATE aura.tasks t SET lease_until = $1
       FROM unnest($2::text[], $3::int[]) AS l (id, attempt)
      WHERE t.id = l.id AND t.attempt = l.attempt AND t.status = 'running' AND t.lease_owner = $4
     RETURNING t.id`,
    [input.until.toISOString(), input.leases.map((l) => l.taskId), input.leases.map((l) => l.attempt), input.owner],
  );
  return new Set(rows.rows.map((r) => r.id));
}
