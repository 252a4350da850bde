// Locks run rows in id order: the first step of every queue transaction except a claim (see the lock order
// in migrations/010-manager-queue.sql), so transactions touching one run are serialised and never deadlock.
import type { Queryable } from '../store/store';

export async function lockRuns(tx: Queryable, runIds: readonly string[]): Promise<Map<string, string>> {
  if (runIds.length === 0) return new Map();
  const rows = await tx.query<{ id: string; status: string }>('SELECT id, status FROM aura.runs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [[...new Set(runIds)]]);
  return new Map(rows.rows.map((r) => [r.id, r.status]));
}
