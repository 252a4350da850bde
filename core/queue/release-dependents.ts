// Releases the dependents of finished tasks (succeeded or skipped) and names the events that say so.
import type { NewEvent } from '../events/event-log';
import type { Queryable } from '../store/store';

export interface ReleasedTask {
  id: string;
  runId: string;
  key: string;
  status: 'ready' | 'awaiting_approval';
  approvalId: string | null;
}

interface ReleasedRow {
  id: string;
  run_id: string;
  key: string;
  status: 'ready' | 'awaiting_approval';
  approval_id: string | null;
}

/** The caller holds the run rows (lockRuns). */
export async function releaseDependents(tx: Queryable, doneTaskIds: readonly string[], now: Date): Promise<ReleasedTask[]> {
  if (doneTaskIds.length === 0) return [];
  const rows = await tx.query<ReleasedRow>('SELECT * FROM aura.release_dependents($1::text[], $2)', [doneTaskIds, now.toISOString()]);
  return rows.rows.map(fromReleasedRow);
}

export function fromReleasedRow(row: ReleasedRow): ReleasedTask {
  return { id: row.id, runId: row.run_id, key: row.key, status: row.status, approvalId: row.approval_id };
}

export function releasedEvents(released: readonly ReleasedTask[], actor: string): NewEvent[] {
  return released.map((r): NewEvent =>
    r.status === 'ready'
      ? { type: 'TaskReady', runId: r.runId, taskId: r.id, actor, payload: { reason: 'dependencies done' } }
      : { type: 'ApprovalRequested', runId: r.runId, taskId: r.id, actor, payload: { approvalId: r.approvalId!, reason: 'an approval task of the plan', subject: 'task' } },
  );
}
