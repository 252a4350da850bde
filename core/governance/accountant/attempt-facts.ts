// Attempt facts: the AttemptAssessed projection the Accountant scores from (written with its event, rebuildable from events).
import type { EventPayload } from '../../events/catalog';
import type { EventLog } from '../../events/event-log';
import type { Queryable, Store } from '../../store/store';
import type { AttemptFact, DirectorRating } from './scoring';

interface FactRow {
  run_id: string;
  task_id: string;
  attempt: number;
  employee_id: string;
  kind: string;
  outcome: AttemptFact['outcome'];
  duration_ms: number;
  timeout_ms: number;
  cost_usd: number;
  scope_violation: boolean;
  violations: number;
  review_score: number | null;
  output_hash: string | null;
  claims_mismatch: boolean;
  forbidden: boolean;
  occurred_at: Date;
}

export function toFact(row: FactRow): AttemptFact {
  return {
    runId: row.run_id,
    taskId: row.task_id,
    attempt: Number(row.attempt),
    employeeId: row.employee_id,
    kind: row.kind,
    outcome: row.outcome,
    durationMs: Number(row.duration_ms),
    timeoutMs: Number(row.timeout_ms),
    costUsd: Number(row.cost_usd),
    scopeViolation: row.scope_violation,
    violations: Number(row.violations),
    reviewScore: row.review_score === null ? null : Number(row.review_score),
    outputHash: row.output_hash,
    claimsMismatch: row.claims_mismatch,
    forbidden: row.forbidden,
    occurredAt: new Date(row.occurred_at),
  };
}

/** Writes the projection row of one AttemptAssessed event (a repeat of the same attempt replaces it). */
export async function upsertFact(tx: Queryable, runId: string, taskId: string, payload: EventPayload<'AttemptAssessed'>, occurredAt: Date): Promise<void> {
  await tx.query(
    `INSERT INTO aura.attempt_facts (run_id, task_id, attempt, employee_id, kind, outcome, duration_ms, timeout_ms, cost_usd, scope_violation,
       violations, review_score, output_hash, claims_mismatch, forbidden, evidence_hash, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET employee_id = EXCLUDED.employee_id, kind = EXCLUDED.kind, outcome = EXCLUDED.outcome,
       duration_ms = EXCLUDED.duration_ms, timeout_ms = EXCLUDED.timeout_ms, cost_usd = EXCLUDED.cost_usd, scope_violation = EXCLUDED.scope_violation,
       violations = EXCLUDED.violations, review_score = EXCLUDED.review_score, output_hash = EXCLUDED.output_hash,
       claims_mismatch = EXCLUDED.claims_mismatch, forbidden = EXCLUDED.forbidden, evidence_hash = EXCLUDED.evidence_hash, occurred_at = EXCLUDED.occurred_at`,
    [
      runId, taskId, payload.attempt, payload.employeeId, payload.kind, payload.outcome, payload.durationMs, payload.timeoutMs, payload.costUsd,
      payload.scopeViolation, payload.violations, payload.reviewScore, payload.outputHash, payload.claimsMismatch, payload.forbidden, payload.evidenceHash,
      occurredAt.toISOString(),
    ],
  );
}

/** Facts since `since`, optionally of some employees and one kind, oldest first. */
export async function loadFacts(q: Queryable, filter: { since: Date; employeeIds?: readonly string[]; kind?: string }): Promise<AttemptFact[]> {
  const rows = await q.query<FactRow>(
    `SELECT * FROM aura.attempt_facts
      WHERE occurred_at >= $1 AND ($2::text[] IS NULL OR employee_id = ANY($2::text[])) AND ($3::text IS NULL OR kind = $3)
      ORDER BY occurred_at, run_id, task_id, attempt`,
    [filter.since.toISOString(), filter.employeeIds ? [...filter.employeeIds] : null, filter.kind ?? null],
  );
  return rows.rows.map(toFact);
}

/** The median duration of verified attempts (of one kind, or all) since `since`, across every employee; null when none. */
export async function medianDuration(q: Queryable, since: Date, kind?: string): Promise<number | null> {
  const row = (
    await q.query<{ m: number | null }>(
      "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS m FROM aura.attempt_facts WHERE outcome = 'verified' AND occurred_at >= $1 AND ($2::text IS NULL OR kind = $2)",
      [since.toISOString(), kind ?? null],
    )
  ).rows[0];
  return row?.m === null || row?.m === undefined ? null : Number(row.m);
}

export async function loadRatings(q: Queryable, filter: { since: Date; employeeIds?: readonly string[] }): Promise<DirectorRating[]> {
  const rows = await q.query<{ employee_id: string; rating: number; occurred_at: Date }>(
    'SELECT employee_id, rating, occurred_at FROM aura.director_ratings WHERE occurred_at >= $1 AND ($2::text[] IS NULL OR employee_id = ANY($2::text[])) ORDER BY occurred_at',
    [filter.since.toISOString(), filter.employeeIds ? [...filter.employeeIds] : null],
  );
  return rows.rows.map((r) => ({ employeeId: r.employee_id, rating: Number(r.rating), occurredAt: new Date(r.occurred_at) }));
}

/** Rebuilds aura.attempt_facts from the AttemptAssessed events alone (the events are the record; the table is a view). */
export async function rebuildFactsFromEvents(store: Store, events: EventLog): Promise<number> {
  let afterId = 0;
  let count = 0;
  await store.transaction(async (tx) => {
    await tx.query('DELETE FROM aura.attempt_facts');
  });
  for (;;) {
    const page = await events.query({ types: ['AttemptAssessed'], afterId, limit: 1000 });
    if (page.length === 0) break;
    await store.transaction(async (tx) => {
      for (const event of page) {
        if (!event.runId || !event.taskId) continue;
        await upsertFact(tx, event.runId, event.taskId, event.payload as EventPayload<'AttemptAssessed'>, event.occurredAt);
        count++;
      }
    });
    afterId = page[page.length - 1]!.id;
  }
  return count;
}
