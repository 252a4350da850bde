// The Director's retention cleanup: removes data older than the retention period, records that it did, and anchors
// each trimmed event chain so `verifyChain` still verifies what is left. Nothing else ever deletes events.
import type { Clock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import type { EventLog } from '../../events/event-log';
import type { Queryable, Store } from '../../store/store';
import { type Requester, requireDirector } from '../requester';
import { expiredSnapshotFolders, removeFolders } from './snapshot-files';

export interface RetentionReport {
  cutoff: Date;
  retentionDays: number;
  /** Rows removed per table (and files under snapshots/). */
  deleted: Record<string, number>;
  /** Event chains whose oldest part was removed, with the seq they now start after. */
  trimmedStreams: Array<{ stream: string; afterSeq: number }>;
}

/** Tables with a timestamp column: rows older than the cutoff go. Tables other parts own are included when present. */
const expiringTables: ReadonlyArray<{ table: string; column: string; extra?: string }> = [
  { table: 'aura.evidence', column: 'created_at' },
  { table: 'aura.verifications', column: 'created_at' },
  { table: 'aura.attempt_facts', column: 'occurred_at' },
  { table: 'aura.director_ratings', column: 'occurred_at' },
  { table: 'aura.cost_ledger', column: 'occurred_at' },
  { table: 'aura.run_archives', column: 'archived_at' },
  { table: 'aura.run_governance', column: 'updated_at' },
  { table: 'aura.tool_approvals', column: 'requested_at', extra: "AND status <> 'pending'" },
  // Superseded policy versions only: the version in force of each set is kept whatever its age.
  { table: 'aura.policy_versions', column: 'created_at', extra: 'AND version < (SELECT max(v.version) FROM aura.policy_versions v WHERE v.name = policy_versions.name)' },
  { table: 'aura.task_runlog', column: 'at' },
  { table: 'aura.call_records', column: 'recorded_at' },
];

const terminalRunEvents = ['RunCompleted', 'RunFailed', 'RunCancelled'];

export interface RetentionDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  retentionDays: number;
  /** `$AURA_HOME/snapshots`: task folders whose files are all older than the cutoff are removed too. */
  snapshotsDir?: string;
}

export async function cleanupRetention(deps: RetentionDeps, requester: Requester, options: { retentionDays?: number } = {}): Promise<RetentionReport> {
  await requireDirector(deps.events, requester, 'retention cleanup');
  const retentionDays = options.retentionDays ?? deps.retentionDays;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new AuraError('invalid_input', 'The retention period is a whole number of days, at least 1.');
  const cutoff = new Date(deps.clock.now().getTime() - retentionDays * 86_400_000);
  const folders = deps.snapshotsDir ? expiredSnapshotFolders(deps.snapshotsDir, cutoff) : [];
  const report = await deps.store.transaction(async (tx) => {
    // The one path past the log's append-only trigger: set for this transaction only.
    await tx.query("SELECT set_config('aura.retention_cleanup', 'on', true)");
    const deleted: Record<string, number> = {};
    const trimmedStreams = await trimEventChains(tx, cutoff);
    deleted['aura.events'] = trimmedStreams.reduce((sum, s) => sum + s.removed, 0);
    for (const { table, column, extra } of expiringTables) {
      const exists = (await tx.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t;
      if (!exists) continue;
      const result = await tx.query(`DELETE FROM ${table} WHERE ${column} < $1 ${extra ?? ''}`, [cutoff.toISOString()]);
      deleted[table] = result.rowCount;
    }
    if (deps.snapshotsDir) deleted['snapshots'] = folders.length;
    const done: RetentionReport = { cutoff, retentionDays, deleted, trimmedStreams: trimmedStreams.map(({ stream, afterSeq }) => ({ stream, afterSeq })) };
    // Recorded in the same transaction: the cleanup and its record commit together or not at all.
    await deps.events.appendIn(tx, [
      { type: 'RetentionCleanupPerformed', actor: requester.actor, payload: { cutoff: cutoff.toISOString(), retentionDays, deleted, trimmedStreams: done.trimmedStreams } },
    ]);
    return done;
  });
  removeFolders(folders);
  return report;
}

interface StreamCut {
  stream: string;
  head_seq: number;
  head_hash: string;
  anchored: number;
  first_kept: number | null;
  is_run: boolean;
  finished: boolean;
}

/**
 * Removes, per stream, the prefix of events older than the cutoff (a chain can only lose its beginning). A run's
 * chain is trimmed only once the run has finished, so a run still in progress keeps every event it needs.
 */
async function trimEventChains(tx: Queryable, cutoff: Date): Promise<Array<{ stream: string; afterSeq: number; removed: number }>> {
  const candidates = await tx.query<StreamCut>(
    `SELECT h.stream, h.seq AS head_seq, h.hash AS head_hash, coalesce(a.after_seq, 0) AS anchored,
            (SELECT min(e.seq) FROM aura.events e WHERE e.stream = h.stream AND e.occurred_at >= $1) AS first_kept,
            EXISTS (SELECT 1 FROM aura.events e WHERE e.stream = h.stream AND e.run_id = h.stream) AS is_run,
            a.stream IS NOT NULL OR EXISTS (SELECT 1 FROM aura.events e WHERE e.stream = h.stream AND e.type = ANY($2::text[])) AS finished
       FROM aura.event_heads h LEFT JOIN aura.event_anchors a ON a.stream = h.stream
      WHERE EXISTS (SELECT 1 FROM aura.events e WHERE e.stream = h.stream AND e.occurred_at < $1)
      ORDER BY h.stream`,
    [cutoff.toISOString(), terminalRunEvents],
  );
  const trimmed: Array<{ stream: string; afterSeq: number; removed: number }> = [];
  for (const c of candidates.rows) {
    if (c.is_run && !c.finished) continue;
    const headSeq = Number(c.head_seq);
    const afterSeq = (c.first_kept === null ? headSeq + 1 : Number(c.first_kept)) - 1;
    if (afterSeq <= Number(c.anchored)) continue;
    const last = afterSeq === headSeq ? c.head_hash : (await tx.query<{ hash: string }>('SELECT hash FROM aura.events WHERE stream = $1 AND seq = $2', [c.stream, afterSeq])).rows[0]?.hash;
    if (last === undefined) throw new AuraError('tampered', `Stream ${c.stream} has no event ${afterSeq}; run "aura audit verify" before cleaning up.`);
    const removed = await tx.query('DELETE FROM aura.events WHERE stream = $1 AND seq <= $2', [c.stream, afterSeq]);
    await tx.query(
      `INSERT INTO aura.event_anchors (stream, after_seq, prev_hash) VALUES ($1, $2, $3)
       ON CONFLICT (stream) DO UPDATE SET after_seq = EXCLUDED.after_seq, prev_hash = EXCLUDED.prev_hash`,
      [c.stream, afterSeq, last],
    );
    trimmed.push({ stream: c.stream, afterSeq, removed: removed.rowCount });
  }
  return trimmed;
}
