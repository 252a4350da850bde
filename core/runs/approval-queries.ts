// Reads of approvals: one by id, or a list by status and run (the governance console builds previews on these).
import { AuraError } from '../domain/errors';
import type { Queryable } from '../store/store';
import { runInWorkspace } from '../tenancy/workspace-filter';
import { type Approval, approvalColumns, type ApprovalRow, toApproval } from './approval-row';
import { type ListApprovalsInput, listApprovalsInputSchema, parseInput } from './inputs';

export async function getApproval(q: Queryable, approvalId: string): Promise<Approval> {
  const row = (await q.query<ApprovalRow>(`SELECT ${approvalColumns} FROM aura.approvals WHERE id = $1`, [approvalId])).rows[0];
  if (!row) throw new AuraError('not_found', `No approval with id "${approvalId}".`);
  return toApproval(row);
}

export async function listApprovals(q: Queryable, input: ListApprovalsInput = {}): Promise<Approval[]> {
  const filter = parseInput(listApprovalsInputSchema, input, 'approval filter');
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) where.push(`status = $${params.push(filter.status)}`);
  if (filter.runId) where.push(`run_id = $${params.push(filter.runId)}`);
  if (filter.workspaceId) where.push(runInWorkspace('run_id', `$${params.push(filter.workspaceId)}`));
  const rows = await q.query<ApprovalRow>(`SELECT ${approvalColumns} FROM aura.approvals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY requested_at, id LIMIT ${filter.limit}`, params);
  return rows.rows.map(toApproval);
}
