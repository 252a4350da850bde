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
        await tx.query<{ workspace_id: string; scope: 'user' | 'org' | 'project' | 'run'; namespace: string; key: string }>(
          `DELETE FROM aura.memory_entries WHERE (workspace_id, scope, namespace, key) IN (
             SELECT workspace_id, scope, namespace, key FROM aura.memory_entries WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING workspace_id, scope, namespace, key`,
          [now, BATCH],
        )
      ).rows;
      if (gone.length === 0) return 0;
      await tx.query(
        `DELETE FROM aura.memory_versions v USING unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS g(w, s, n, k)
          WHERE v.workspace_id = g.w AND v.scope = g.s AND v.namespace = g.n AND v.key = g.k`,
        [gone.map((g) => g.workspace_id), gone.map((g) => g.scope), gone.map((g) => g.namespace), gone.map((g) => g.key)],
      );
      // One event per workspace, so each workspace's log names only its own keys.
      const byWorkspace = new Map<string, typeof gone>();
      for (const g of gone) byWorkspace.set(g.workspace_id, [...(byWorkspace.get(g.workspace_id) ?? []), g]);
      await deps.events.appendIn(
        tx,
        [...byWorkspace].map(([workspaceId, entries]) => ({
          type: 'MemoryExpired',
          stream: MEMORY_STREAM,
          actor: 'system',
          payload: { workspaceId, count: entries.length, entries: entries.slice(0, 100).map((g) => ({ scope: g.scope, namespace: g.namespace, key: g.key })) },
        })),
      );
      return gone.length;
    });
    total += removed;
    if (removed < BATCH) return total;
  }
}
