// Counts every table of schema aura and reads each audit chain's head, inside the caller's snapshot.
import type { Queryable } from '../store/store';
import type { Census } from './backup-manifest';

export async function takeCensus(q: Queryable): Promise<Census> {
  const tables = await q.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'aura' ORDER BY tablename`);
  const counts: Record<string, number> = {};
  if (tables.rows.length) {
    // One statement for all tables: one round trip, one snapshot even outside a transaction.
    const sql = tables.rows.map((t, i) => `SELECT ${i} AS i, count(*)::int8 AS n FROM aura."${t.name.replace(/"/g, '""')}"`).join(' UNION ALL ');
    for (const row of (await q.query<{ i: number; n: number | string }>(sql)).rows) counts[tables.rows[Number(row.i)]!.name] = Number(row.n);
  }
  const heads = await q.query<{ stream: string; seq: number | string; hash: string }>('SELECT stream, seq, hash FROM aura.event_heads ORDER BY stream');
  const migration = await q.query<{ id: number | string | null }>('SELECT max(id) AS id FROM aura.migrations');
  return {
    migration: Number(migration.rows[0]?.id ?? 0),
    tables: counts,
    chainHeads: heads.rows.map((h) => ({ stream: h.stream, seq: Number(h.seq), hash: h.hash })),
  };
}
