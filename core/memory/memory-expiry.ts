// TTL expiry: entries whose time to live ran out are removed with their whole history, recorded as MemoryExpired.
// Reads already treat them as gone at that instant; the sweep is what frees the rows.
import type { Clock } from '../domain/clock';
import type { EventLog } from '../events/event-log';
import type { Store } from '../store/store';
import { MEMORY_STREAM } from './memory-writes';

const BATCH = 500;

export async function expireMemory(deps: { store: Store; events: EventLog; clock: Clock }): Promise<number> {
  let total = 0;
  for (;;) {
    const now = deps.clock.now().toISOString();
    const removed = await deps.store.transaction(async (tx) => {
      // SKIP LOCKED: an entry being rewritten right now (its TTL renewed) is left for the next sweep.
      const gone = (
        await tx.query<{ scope: 'user' | 'org' | 'project' | 'run'; namespace: string; key: string }>(
          `DELETE FROM aura.memory_entries WHERE (scope, namespace, key) IN (
             SELECT scope, namespace, key FROM aura.memory_entries WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING scope, namespace, key`,
          [now, BATCH],
        )
      ).rows;
      if (gone.length === 0) return 0;
      await tx.query(
        `DELETE FROM aura.memory_versions v USING unnest($1::text[], $2::text[], $3::text[]) AS g(s, n, k)
          WHERE v.scope = g.s AND v.namespace = g.n AND v.key = g.k`,
        [gone.map((g) => g.scope), gone.map((g) => g.namespace), gone.map((g) => g.key)],
      );
      await deps.events.appendIn(tx, [{ type: 'MemoryExpired', stream: MEMORY_STREAM, actor: 'system', payload: { count: gone.length, entries: gone.slice(0, 100).map((g) => ({ scope: g.scope, namespace: g.namespace, key: g.key })) } }]);
      return gone.length;
    });
    total += removed;
    if (removed < BATCH) return total;
  }
}
