// Commands held for the Director: recorded when the command gate asks for approval, allowed once approved.
import type { Clock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import { newId } from '../../domain/ids';
import type { EventLog } from '../../events/event-log';
import type { Queryable, Store } from '../../store/store';
import type { ToolApprovals } from '../policy/command-gate';
import { runInWorkspace } from '../../tenancy/workspace-filter';

export interface ToolApproval {
  id: string;
  runId: string;
  taskId: string;
  attempt: number;
  command: string;
  rule: string;
  reason: string;
  evidenceHash: string | null;
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
}

interface Row {
  id: string;
  run_id: string;
  task_id: string;
  attempt: number;
  command: string;
  rule: string;
  reason: string;
  evidence_hash: string | null;
  status: ToolApproval['status'];
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
}

const toApproval = (r: Row): ToolApproval => ({
  id: r.id,
  runId: r.run_id,
  taskId: r.task_id,
  attempt: Number(r.attempt),
  command: r.command,
  rule: r.rule,
  reason: r.reason,
  evidenceHash: r.evidence_hash,
  status: r.status,
  requestedAt: r.requested_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  note: r.note,
});

export interface ToolApprovalStore extends ToolApprovals {
  get(id: string, q?: Queryable): Promise<ToolApproval>;
  list(filter: { status?: ToolApproval['status']; runId?: string; limit?: number; workspaceId?: string }): Promise<ToolApproval[]>;
  /** Marks a pending one decided and records ApprovalGranted/Rejected, in the caller's transaction. */
  decideIn(tx: Queryable, id: string, decision: { approved: boolean; by: string; note?: string }): Promise<ToolApproval>;
}

export function createToolApprovals(deps: { store: Store; events: EventLog; clock: Clock }): ToolApprovalStore {
  const { store, events, clock } = deps;
  const get = async (id: string, q: Queryable = store) => {
    const row = (await q.query<Row>('SELECT * FROM aura.tool_approvals WHERE id = $1', [id])).rows[0];
    if (!row) throw new AuraError('not_found', `No held command with id "${id}".`);
    return toApproval(row);
  };
  return {
    get,
    async isApproved(runId, taskId, command) {
      return (await store.query("SELECT 1 FROM aura.tool_approvals WHERE run_id = $1 AND task_id = $2 AND command = $3 AND status = 'approved' LIMIT 1", [runId, taskId, command])).rowCount > 0;
    },
    async hold(input) {
      await store.transaction(async (tx) => {
        const pending = await tx.query("SELECT 1 FROM aura.tool_approvals WHERE task_id = $1 AND command = $2 AND status = 'pending'", [input.taskId, input.command]);
        if (pending.rowCount) return;
        const id = newId('tap', clock.now());
        await tx.query(
          `INSERT INTO aura.tool_approvals (id, run_id, task_id, attempt, command, rule, reason, evidence_hash, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT DO NOTHING`,
          [id, input.runId, input.taskId, input.attempt, input.command, input.rule, input.reason, input.evidenceHash, clock.now().toISOString()],
        );
        await events.appendIn(tx, [
          { type: 'ApprovalRequested', actor: 'policy', runId: input.runId, taskId: input.taskId, payload: { approvalId: id, reason: `policy ${input.rule}: ${input.reason}`, subject: 'tool', kind: 'tool', rule: input.rule, evidenceHash: input.evidenceHash ?? undefined } },
        ]);
      });
    },
    async list(filter) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
      const rows = await store.query<Row>(
        `SELECT * FROM aura.tool_approvals WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR run_id = $2)
            AND ($3::text IS NULL OR ${runInWorkspace('run_id', '$3')}) ORDER BY requested_at, id LIMIT ${limit}`,
        [filter.status ?? null, filter.runId ?? null, filter.workspaceId ?? null],
      );
      return rows.rows.map(toApproval);
    },
    async decideIn(tx, id, decision) {
      const row = (await tx.query<Row>('SELECT * FROM aura.tool_approvals WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) throw new AuraError('not_found', `No held command with id "${id}".`);
      if (row.status !== 'pending') throw new AuraError('conflict', `Held command ${id} was already ${row.status}${row.decided_by ? ` by ${row.decided_by}` : ''}.`);
      const at = clock.now().toISOString();
      const updated = (
        await tx.query<Row>('UPDATE aura.tool_approvals SET status = $2, decided_by = $3, decided_at = $4, note = $5 WHERE id = $1 RETURNING *', [id, decision.approved ? 'approved' : 'rejected', decision.by, at, decision.note ?? null])
      ).rows[0]!;
      const base = { runId: row.run_id, taskId: row.task_id, actor: decision.by };
      await events.appendIn(tx, [
        decision.approved
          ? { ...base, type: 'ApprovalGranted', payload: { approvalId: id, by: decision.by, note: decision.note } }
          : { ...base, type: 'ApprovalRejected', payload: { approvalId: id, by: decision.by, reason: decision.note ?? 'rejected' } },
      ]);
      return toApproval(updated);
    },
  };
}
