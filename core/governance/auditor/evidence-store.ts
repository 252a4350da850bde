// Evidence: content-addressed (sha256 of canonical JSON), signed with the audit key, stored once, checked on read.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json';
import type { Clock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import type { AuditSigner } from '../../events/chain';
import type { Queryable, Store } from '../../store/store';
import { scrubEvidence } from './evidence-scrub';

export interface EvidenceInput {
  kind: string;
  runId?: string | null;
  taskId?: string | null;
  attempt?: number | null;
  employeeId?: string | null;
  content: unknown;
}

export interface EvidenceRecord {
  hash: string;
  kind: string;
  runId: string | null;
  taskId: string | null;
  attempt: number | null;
  employeeId: string | null;
  /** What the hash covers: the kind, the ids and the content. */
  body: { kind: string; runId: string | null; taskId: string | null; attempt: number | null; employeeId: string | null; content: unknown };
  createdAt: Date;
  /** Whether the stored body still hashes to its address and the signature was made with this audit key. */
  intact: boolean;
}

export interface EvidenceStore {
  /** Stores (once) and returns the hash; the same content always gets the same hash. */
  putIn(tx: Queryable, input: EvidenceInput): Promise<string>;
  put(input: EvidenceInput): Promise<string>;
  get(hash: string): Promise<EvidenceRecord>;
  /** The stored body inside a transaction (no integrity check), or null. */
  getIn(q: Queryable, hash: string): Promise<EvidenceRecord['body'] | null>;
  /** Evidence of one run, optionally one task and attempt, oldest first (without bodies' integrity check). */
  list(filter: { runId: string; taskId?: string; attempt?: number }): Promise<Array<Omit<EvidenceRecord, 'body' | 'intact'>>>;
}

interface EvidenceRow {
  hash: string;
  hmac: string;
  kind: string;
  run_id: string | null;
  task_id: string | null;
  attempt: number | null;
  employee_id: string | null;
  body: EvidenceRecord['body'];
  created_at: Date;
}

export function evidenceHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function createEvidenceStore(deps: { store: Store; signer: AuditSigner; clock: Clock }): EvidenceStore {
  const { store, signer, clock } = deps;
  const putIn = async (tx: Queryable, input: EvidenceInput) => {
    const body = {
      kind: input.kind,
      runId: input.runId ?? null,
      taskId: input.taskId ?? null,
      attempt: input.attempt ?? null,
      employeeId: input.employeeId ?? null,
      content: scrubEvidence(input.content),
    };
    // Store what was hashed, exactly: JSON round-trip drops undefined fields the way canonical JSON does.
    const stored = JSON.parse(canonicalJson(body)) as EvidenceRecord['body'];
    const hash = evidenceHash(stored);
    await tx.query(
      `INSERT INTO aura.evidence (hash, hmac, kind, run_id, task_id, attempt, employee_id, body, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9) ON CONFLICT (hash) DO NOTHING`,
      [hash, signer.sign(hash), body.kind, body.runId, body.taskId, body.attempt, body.employeeId, JSON.stringify(stored), clock.now().toISOString()],
    );
    return hash;
  };
  return {
    putIn,
    put: (input) => store.transaction((tx) => putIn(tx, input)),
    async get(hash) {
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new AuraError('invalid_input', `"${hash}" is not an evidence hash (64 hex characters).`);
      const row = (await store.query<EvidenceRow>('SELECT * FROM aura.evidence WHERE hash = $1', [hash])).rows[0];
      if (!row) throw new AuraError('not_found', `No evidence with hash ${hash}.`);
      const intact = evidenceHash(row.body) === row.hash && signer.verify(row.hash, row.hmac);
      return { hash: row.hash, kind: row.kind, runId: row.run_id, taskId: row.task_id, attempt: row.attempt, employeeId: row.employee_id, body: row.body, createdAt: row.created_at, intact };
    },
    async getIn(q, hash) {
      const row = (await q.query<{ body: EvidenceRecord['body'] }>('SELECT body FROM aura.evidence WHERE hash = $1', [hash])).rows[0];
      return row?.body ?? null;
    },
    async list(filter) {
      const rows = await store.query<EvidenceRow>(
        `SELECT hash, kind, run_id, task_id, attempt, employee_id, created_at FROM aura.evidence
          WHERE run_id = $1 AND ($2::text IS NULL OR task_id = $2) AND ($3::int IS NULL OR attempt = $3) ORDER BY created_at, hash`,
        [filter.runId, filter.taskId ?? null, filter.attempt ?? null],
      );
      return rows.rows.map((row) => ({ hash: row.hash, kind: row.kind, runId: row.run_id, taskId: row.task_id, attempt: row.attempt, employeeId: row.employee_id, createdAt: row.created_at }));
    },
  };
}
