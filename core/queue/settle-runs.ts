// Decides whether runs are finished (all done → succeeded; dead letters and nothing waiting → partial) or blocked
// (dead letters hold back waiting tasks: not finished, the Director decides), and names the events.
import type { NewEvent } from '../events/event-log';
import type { Queryable } from '../store/store';

export interface SettledRun {
  runId: string;
  status: 'succeeded' | 'partial' | 'blocked';
  costUsd: number;
  succeeded: number;
  skipped: number;
  deadLettered: number;
}

interface SettledRow {
  run_id: string;
  status: 'succeeded' | 'partial' | 'blocked';
  cost_usd: number;
  succeeded: number;
  skipped: number;
  dead_lettered: number;
}

/** The caller holds the run rows (lockRuns). Returns only runs whose status changed. */
export async function settleRuns(tx: Queryable, runIds: readonly string[], now: Date): Promise<SettledRun[]> {
  if (runIds.length === 0) return [];
  const rows = await tx.query<SettledRow>('SELECT * FROM aura.settle_runs($1::text[], $2)', [[...new Set(runIds)], now.toISOString()]);
  return rows.rows.map(fromSettledRow);
}

export function fromSettledRow(row: SettledRow): SettledRun {
  return { runId: row.run_id, status: row.status, costUsd: Number(row.cost_usd), succeeded: Number(row.succeeded), skipped: Number(row.skipped), deadLettered: Number(row.dead_lettered) };
}

export function settledEvents(settled: readonly SettledRun[], actor: string): NewEvent[] {
  return settled.map((s): NewEvent =>
    s.status === 'blocked'
      ? { type: 'RunBlocked', runId: s.runId, actor, payload: { deadLettered: s.deadLettered, succeeded: s.succeeded, skipped: s.skipped } }
      : {
          type: 'RunCompleted',
          runId: s.runId,
          actor,
          payload: { outcome: s.status === 'succeeded' ? 'succeeded' : 'partial', costUsd: s.costUsd, succeeded: s.succeeded, skipped: s.skipped, deadLettered: s.deadLettered },
        },
  );
}
