// Row and domain shapes of an approval: a question put to the Director (a task, a plan or a replan).
export interface ApprovalRow {
  id: string;
  run_id: string;
  task_id: string | null;
  subject: 'task' | 'plan' | 'replan';
  reason: string;
  rule: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  proposal: unknown;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
}

export interface Approval {
  id: string;
  runId: string;
  taskId: string | null;
  subject: 'task' | 'plan' | 'replan';
  reason: string;
  /** The policy rule that asked for it, when a policy did. */
  rule: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  /** Replans: the proposed plan and its diff. */
  proposal: unknown;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
}

export const approvalColumns = 'id, run_id, task_id, subject, reason, rule, status, proposal, requested_at, decided_by, decided_at, note';

export function toApproval(row: ApprovalRow): Approval {
  return {
    id: row.id,
    runId: row.run_id,
    taskId: row.task_id,
    subject: row.subject,
    reason: row.reason,
    rule: row.rule,
    status: row.status,
    proposal: row.proposal,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    note: row.note,
  };
}
