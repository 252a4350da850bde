// Employees' memory proposals (through the employee channel): the proposal policy applies one at once or holds it
// for the Director, who approves (it is written, authored by the employee) or rejects it. Each step is an event.
import type { Clock } from '../domain/clock';
import { AuraError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { EventLog } from '../events/event-log';
import type { Queryable, Store } from '../store/store';
import type { MemoryAddress, WorkspaceAddress } from './memory-schema';
import type { ProposalPolicy } from './memory-settings';
import { MEMORY_STREAM, type MemoryAuthor, type WriteRequest } from './memory-writes';

export interface Proposal extends WorkspaceAddress {
  id: string;
  content: string;
  tags: string[];
  employeeId: string;
  runId: string | null;
  taskId: string | null;
  status: 'pending' | 'approved' | 'rejected';
  note: string | null;
  createdAt: Date;
  resolvedBy: string | null;
}

interface ProposalRow {
  id: string;
  workspace_id: string;
  scope: MemoryAddress['scope'];
  namespace: string;
  key: string;
  content: string;
  tags: string[];
  employee_id: string;
  run_id: string | null;
  task_id: string | null;
  status: Proposal['status'];
  note: string | null;
  created_at: Date | string;
  resolved_by: string | null;
}

const toProposal = (r: ProposalRow): Proposal => ({
  id: r.id,
  workspaceId: r.workspace_id,
  scope: r.scope,
  namespace: r.namespace,
  key: r.key,
  content: r.content,
  tags: r.tags,
  employeeId: r.employee_id,
  runId: r.run_id,
  taskId: r.task_id,
  status: r.status,
  note: r.note,
  createdAt: new Date(r.created_at),
  resolvedBy: r.resolved_by,
});

export interface ProposalDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  policy: ProposalPolicy;
  /** Writes a version inside the caller's transaction, so a proposal and its write commit together. */
  writeIn(tx: Queryable, request: WriteRequest, author: MemoryAuthor): Promise<{ version: number }>;
}

export interface ProposalRequest {
  /** In the employee's workspace. */
  address: WorkspaceAddress;
  content: string;
  tags: string[];
  employeeId: string;
  runId: string | null;
  taskId: string | null;
}

/** Whether the policy lets a proposal into this scope without the Director. */
const appliesAtOnce = (policy: ProposalPolicy, address: MemoryAddress) => policy === 'auto' || (policy === 'auto-run' && address.scope === 'run');

export function createProposals(deps: ProposalDeps) {
  const employeeAuthor = (employeeId: string): MemoryAuthor => ({ actor: `employee:${employeeId}`, kind: 'employee' });
  return {
    async propose(request: ProposalRequest): Promise<{ proposal: Proposal; version: number | null }> {
      if (request.address.scope === 'user') throw new AuraError('forbidden', "An employee may not write a user's memory; propose to run, project or org memory.");
      const id = newId('mprop', deps.clock.now());
      const apply = appliesAtOnce(deps.policy, request.address);
      return deps.store.transaction(async (tx) => {
        const inserted = (
          await tx.query<ProposalRow>(
            `INSERT INTO aura.memory_proposals (id, scope, namespace, key, content, tags, employee_id, run_id, task_id, status, created_at, resolved_by, resolved_at, workspace_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
            [id, request.address.scope, request.address.namespace, request.address.key, request.content, request.tags, request.employeeId, request.runId, request.taskId, apply ? 'approved' : 'pending', deps.clock.now().toISOString(), apply ? `policy:${deps.policy}` : null, apply ? deps.clock.now().toISOString() : null, request.address.workspaceId],
          )
        ).rows[0]!;
        await deps.events.appendIn(tx, [
          { type: 'MemoryProposed', stream: MEMORY_STREAM, runId: request.runId, taskId: request.taskId, actor: employeeAuthor(request.employeeId).actor, payload: { proposalId: id, ...request.address, employeeId: request.employeeId, decision: apply ? 'applied' : 'awaiting_approval', policy: deps.policy } },
        ]);
        if (!apply) return { proposal: toProposal(inserted), version: null };
        const written = await deps.writeIn(tx, { address: request.address, content: request.content, tags: request.tags, runId: request.runId }, employeeAuthor(request.employeeId));
        return { proposal: toProposal(inserted), version: written.version };
      });
    },

    /** Resolves a proposal of `workspaceId`; one of another workspace is answered as one that does not exist. */
    async resolve(proposalId: string, workspaceId: string, decision: { approved: boolean; by: string; note?: string }): Promise<{ proposal: Proposal; version: number | null }> {
      return deps.store.transaction(async (tx) => {
        const found = (await tx.query<ProposalRow>('SELECT * FROM aura.memory_proposals WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [proposalId, workspaceId])).rows[0];
        if (!found) throw new AuraError('not_found', `No memory proposal ${proposalId}.`);
        if (found.status !== 'pending') throw new AuraError('conflict', `Memory proposal ${proposalId} was already ${found.status}.`);
        const row = (
          await tx.query<ProposalRow>('UPDATE aura.memory_proposals SET status = $2, note = $3, resolved_by = $4, resolved_at = $5 WHERE id = $1 RETURNING *', [
            proposalId,
            decision.approved ? 'approved' : 'rejected',
            decision.note ?? null,
            decision.by,
            deps.clock.now().toISOString(),
          ])
        ).rows[0]!;
        const version = decision.approved
          ? (await deps.writeIn(tx, { address: { workspaceId: row.workspace_id, scope: row.scope, namespace: row.namespace, key: row.key }, content: row.content, tags: row.tags, runId: row.run_id }, employeeAuthor(row.employee_id))).version
          : null;
        await deps.events.appendIn(tx, [{ type: 'MemoryProposalResolved', stream: MEMORY_STREAM, runId: row.run_id, actor: decision.by, payload: { proposalId, workspaceId: row.workspace_id, approved: decision.approved, version, note: decision.note ?? null } }]);
        return { proposal: toProposal(row), version };
      });
    },

    async list(workspaceId: string, status: Proposal['status'] = 'pending', limit = 100): Promise<Proposal[]> {
      return (await deps.store.query<ProposalRow>('SELECT * FROM aura.memory_proposals WHERE workspace_id = $1 AND status = $2 ORDER BY created_at LIMIT $3', [workspaceId, status, limit])).rows.map(toProposal);
    },
  };
}

export type Proposals = ReturnType<typeof createProposals>;
