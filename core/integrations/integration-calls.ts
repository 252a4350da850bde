// The calls' rows: asked (deduplicated by idempotency key), decided by the Director, claimed under a lease, settled.
import type { Clock } from '../domain/clock';
import { AuraError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { Queryable } from '../store/store';
import type { CallStatus, IntegrationCall } from './integration-schema';

/** Integration approvals are ids of this prefix; the approvals service routes them here. */
export const INTEGRATION_APPROVAL_PREFIX = 'iap_';

interface CallRow {
  id: string;
  connector_id: string;
  workspace_id: string;
  method: string;
  write: boolean;
  params: Record<string, unknown> | string;
  idempotency_key: string;
  run_id: string | null;
  status: CallStatus;
  reason: string;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
  attempts: number;
  result: unknown;
  error: string | null;
  finished_at: Date | null;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export const toCall = (r: CallRow): IntegrationCall => ({
  id: r.id,
  connectorId: r.connector_id,
  workspaceId: r.workspace_id,
  method: r.method,
  write: r.write,
  params: json(r.params),
  idempotencyKey: r.idempotency_key,
  runId: r.run_id,
  status: r.status,
  reason: r.reason,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? new Date(r.decided_at) : null,
  note: r.note,
  attempts: Number(r.attempts),
  result: r.result === null || r.result === undefined ? null : json(r.result),
  error: r.error,
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
});

/** A call as it is asked for: the fields of the stored call that the caller decides. */
export type NewCall = Pick<IntegrationCall, 'connectorId' | 'workspaceId' | 'method' | 'write' | 'params' | 'idempotencyKey' | 'runId' | 'reason' | 'requestedBy'>;

/** Inserts the call, or returns the one already under its key (`created: false`): nothing is asked or sent twice. */
export async function insertCall(tx: Queryable, call: NewCall, clock: Clock): Promise<{ call: IntegrationCall; created: boolean }> {
  const id = call.write ? newId(INTEGRATION_APPROVAL_PREFIX.slice(0, -1), clock.now()) : newId('icl', clock.now());
  const inserted = await tx.query<CallRow>(
    `INSERT INTO aura.integration_calls (id, connector_id, workspace_id, method, write, params, idempotency_key, run_id, status, reason, requested_by, requested_at, attempts)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, CASE WHEN $5 THEN 0 ELSE 1 END)
     ON CONFLICT (connector_id, idempotency_key) DO NOTHING RETURNING *`,
    [id, call.connectorId, call.workspaceId, call.method, call.write, JSON.stringify(call.params), call.idempotencyKey, call.runId, call.write ? 'pending_approval' : 'running', call.reason, call.requestedBy, clock.now().toISOString()],
  );
  if (inserted.rows[0]) return { call: toCall(inserted.rows[0]), created: true };
  const existing = (await tx.query<CallRow>('SELECT * FROM aura.integration_calls WHERE connector_id = $1 AND idempotency_key = $2', [call.connectorId, call.idempotencyKey])).rows[0]!;
  return { call: toCall(existing), created: false };
}

export async function getCall(q: Queryable, id: string, lock = false): Promise<IntegrationCall> {
  const row = (await q.query<CallRow>(`SELECT * FROM aura.integration_calls WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0];
  if (!row) throw new AuraError('not_found', `No integration call with id "${id}".`);
  return toCall(row);
}

export interface CallFilter {
  status?: CallStatus;
  /** Any of these (with status, both must hold). */
  statuses?: readonly CallStatus[];
  connectorId?: string;
  runId?: string;
  writesOnly?: boolean;
  /** Only calls of this team workspace. */
  workspaceId?: string;
  limit?: number;
}

export async function listCalls(q: Queryable, filter: CallFilter = {}): Promise<IntegrationCall[]> {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
  const { rows } = await q.query<CallRow>(
    `SELECT * FROM aura.integration_calls
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR connector_id = $2) AND ($3::text IS NULL OR run_id = $3) AND (NOT $4::boolean OR write)
        AND ($5::text[] IS NULL OR status = ANY ($5::text[])) AND ($6::text IS NULL OR workspace_id = $6)
      ORDER BY requested_at, id LIMIT ${limit}`,
    [filter.status ?? null, filter.connectorId ?? null, filter.runId ?? null, filter.writesOnly ?? false, filter.statuses ? [...filter.statuses] : null, filter.workspaceId ?? null],
  );
  return rows.map(toCall);
}

/** The Director's decision on a held write, in the caller's transaction; an approved one is now due to the runner. */
export async function decideCall(tx: Queryable, id: string, decision: { approved: boolean; by: string; note?: string }, clock: Clock): Promise<IntegrationCall> {
  const call = await getCall(tx, id, true);
  if (call.status !== 'pending_approval') throw new AuraError('conflict', `Integration call ${id} was already ${call.status === 'rejected' ? 'rejected' : 'approved'}${call.decidedBy ? ` by ${call.decidedBy}` : ''}.`);
  const row = (
    await tx.query<CallRow>('UPDATE aura.integration_calls SET status = $2, decided_by = $3, decided_at = $4, note = $5, finished_at = $6 WHERE id = $1 RETURNING *', [
      id,
      decision.approved ? 'approved' : 'rejected',
      decision.by,
      clock.now().toISOString(),
      decision.note ?? null,
      decision.approved ? null : clock.now().toISOString(),
    ])
  ).rows[0]!;
  return toCall(row);
}

/**
 * Claims approved writes (FOR UPDATE SKIP LOCKED) and running ones whose lease ran out (their Manager died mid-call),
 * for one Manager. A claimed call always gets an outcome recorded, or its lease runs out and another Manager claims it.
 */
export async function claimDueCalls(q: Queryable, options: { owner: string; now: Date; leaseMs: number; limit: number }): Promise<IntegrationCall[]> {
  const { rows } = await q.query<CallRow>(
    `WITH due AS (
       SELECT id FROM aura.integration_calls
        WHERE write AND (status = 'approved' OR (status = 'running' AND lease_until < $2))
        ORDER BY decided_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
     UPDATE aura.integration_calls c
        SET status = 'running', attempts = c.attempts + 1, lease_owner = $1, lease_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000)
       FROM due WHERE c.id = due.id
     RETURNING c.*`,
    [options.owner, options.now.toISOString(), options.leaseMs, options.limit],
  );
  return rows.map(toCall);
}

/** Records a call's outcome; for a claimed write, only while `owner` still holds its lease. Returns whether it applied. */
export async function settleCall(q: Queryable, id: string, outcome: { ok: true; result: unknown } | { ok: false; error: string }, at: Date, owner?: string): Promise<boolean> {
  const updated = await q.query(
    `UPDATE aura.integration_calls SET status = $2, result = $3::jsonb, error = $4, finished_at = $5, lease_owner = NULL, lease_until = NULL
      WHERE id = $1 AND status = 'running' AND ($6::text IS NULL OR lease_owner = $6)`,
    [id, outcome.ok ? 'succeeded' : 'failed', outcome.ok ? JSON.stringify(outcome.result ?? null) : null, outcome.ok ? null : outcome.error, at.toISOString(), owner ?? null],
  );
  return updated.rowCount > 0;
}
