// Records one verification layer of an attempt: its evidence, its row, and its VerificationPassed/Failed event.
import type { Clock } from '../../domain/clock';
import type { EventLog } from '../../events/event-log';
import type { Queryable, Store } from '../../store/store';
import type { Assignment } from '../../workforce/worker';
import type { GovernanceMetrics } from '../governance-metrics';
import type { EvidenceStore } from './evidence-store';

export const verificationLayers = ['schema', 'policy', 'scope', 'acceptance', 'review'] as const;
export type VerificationLayer = (typeof verificationLayers)[number];

export interface LayerOutcome {
  layer: VerificationLayer;
  passed: boolean;
  /** The layer could not run for reasons that are not the employee's (engine down, reviewer unreachable). */
  infrastructure?: boolean;
  reason?: string;
  /** The review layer's 0-10 score. */
  score?: number;
  /** Stored as signed evidence; its hash goes on the event and the row. */
  evidence?: unknown;
  /** Small facts shown on the event itself. */
  details?: Record<string, unknown>;
}

export interface VerificationRow {
  layer: VerificationLayer;
  passed: boolean;
  infrastructure: boolean;
  reason: string | null;
  score: number | null;
  evidenceHash: string | null;
}

export interface VerificationRecorder {
  record(assignment: Assignment, outcome: LayerOutcome): Promise<string | null>;
  rowsIn(q: Queryable, key: { runId: string; taskId: string; attempt: number }): Promise<VerificationRow[]>;
}

export function createVerificationRecorder(deps: { store: Store; events: EventLog; evidence: EvidenceStore; clock: Clock; metrics: GovernanceMetrics }): VerificationRecorder {
  const { store, events, evidence, clock, metrics } = deps;
  return {
    async record(a, outcome) {
      const hash = await store.transaction(async (tx) => {
        const evidenceHash =
          outcome.evidence === undefined
            ? null
            : await evidence.putIn(tx, { kind: `verification:${outcome.layer}`, runId: a.runId, taskId: a.taskId, attempt: a.attempt, employeeId: a.employee.id, content: outcome.evidence });
        await tx.query(
          `INSERT INTO aura.verifications (run_id, task_id, attempt, layer, passed, infrastructure, reason, score, evidence_hash, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (run_id, task_id, attempt, layer) DO UPDATE SET passed = EXCLUDED.passed, infrastructure = EXCLUDED.infrastructure,
             reason = EXCLUDED.reason, score = EXCLUDED.score, evidence_hash = EXCLUDED.evidence_hash, created_at = EXCLUDED.created_at`,
          [a.runId, a.taskId, a.attempt, outcome.layer, outcome.passed, outcome.infrastructure ?? false, outcome.reason ?? null, outcome.score ?? null, evidenceHash, clock.now().toISOString()],
        );
        const details = { ...outcome.details, ...(outcome.infrastructure ? { infrastructure: true } : {}), ...(outcome.score !== undefined ? { score: outcome.score } : {}) };
        const common = { layer: outcome.layer, attempt: a.attempt, details: Object.keys(details).length ? details : undefined, evidenceHash: evidenceHash ?? undefined };
        await events.appendIn(tx, [
          outcome.passed
            ? { type: 'VerificationPassed', actor: 'auditor', runId: a.runId, taskId: a.taskId, payload: common }
            : { type: 'VerificationFailed', actor: 'auditor', runId: a.runId, taskId: a.taskId, payload: { ...common, reason: outcome.reason ?? `${outcome.layer} check failed` } },
        ]);
        return evidenceHash;
      });
      metrics.verifications.inc({ layer: outcome.layer, result: outcome.passed ? 'passed' : outcome.infrastructure ? 'unavailable' : 'failed' });
      return hash;
    },
    async rowsIn(q, key) {
      const rows = await q.query<{ layer: VerificationLayer; passed: boolean; infrastructure: boolean; reason: string | null; score: number | null; evidence_hash: string | null }>(
        'SELECT layer, passed, infrastructure, reason, score, evidence_hash FROM aura.verifications WHERE run_id = $1 AND task_id = $2 AND attempt = $3',
        [key.runId, key.taskId, key.attempt],
      );
      return rows.rows.map((r) => ({ layer: r.layer, passed: r.passed, infrastructure: r.infrastructure, reason: r.reason, score: r.score === null ? null : Number(r.score), evidenceHash: r.evidence_hash }));
    },
  };
}
