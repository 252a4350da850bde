// Approval tools: the Director's gates (tasks, plans, replans, held commands) with preview and evidence; approve, reject.
import { z } from 'zod';
import type { ApprovalView } from '../../../core/governance/approvals/approvals-service';
import { runIdSchema, taskEditsSchema } from '../../../core/orchestrator';
import { DIRECTOR_ONLY, READERS } from '../../auth/roles';
import { id, reason, text } from '../input-limits';
import { requesterOf, type McpServices } from '../services';
import { defineTool, IDEMPOTENT_CHANGE, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { evidenceBriefSchema, iso } from './views';

export const approvalSchema = z.object({
  id: z.string(),
  kind: z.string().describe('task, plan, replan, tool or integration'),
  status: z.string(),
  runId: z.string().nullable(),
  taskId: z.string().nullable(),
  reason: z.string(),
  rule: z.string().nullable(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
  preview: z.record(z.string(), z.unknown()).describe('the run, the task or plan or command in question, the policy rule'),
  evidence: z.array(evidenceBriefSchema),
});

export function approvalView(a: ApprovalView): z.infer<typeof approvalSchema> {
  return {
    id: a.id,
    kind: a.kind,
    status: a.status,
    runId: a.runId,
    taskId: a.taskId,
    reason: a.reason,
    rule: a.rule,
    requestedAt: iso(a.requestedAt)!,
    decidedBy: a.decidedBy,
    decidedAt: iso(a.decidedAt),
    note: a.note,
    // Dates inside the preview become strings, as everything crossing the wire does.
    preview: JSON.parse(JSON.stringify(a.preview)) as Record<string, unknown>,
    evidence: a.evidence.map((e) => ({ hash: e.hash, kind: e.kind, attempt: e.attempt, createdAt: iso(e.createdAt)! })),
  };
}

const approvalId = id('approval');
const oneApproval = z.object({ approval: approvalSchema });

export function approvalsTools(services: McpServices): ToolDefinition[] {
  const approvals = services.approvals;
  if (!approvals) return [];

  const listApprovals = defineTool({
    name: 'list_approvals',
    title: 'List approvals',
    group: 'approvals',
    description: 'Questions put to the Director (pending by default), oldest first, each with a preview and its evidence.',
    roles: READERS,
    input: z.strictObject({
      status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).default('pending'),
      runId: runIdSchema.describe('run id').optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: z.object({ approvals: z.array(approvalSchema) }),
    annotations: READ_ONLY,
    async run(args, { services, principal }) {
      if (args.runId) await services.orchestrator?.runs.get(args.runId); // an unknown run is an error, not an empty list
      return { approvals: (await approvals.list({ ...args, workspaceId: principal.workspaceId })).map(approvalView) };
    },
  });

  const approve = defineTool({
    name: 'approve',
    title: 'Approve',
    group: 'approvals',
    description: 'Approve a pending approval (its branch continues), optionally with a note and edits to the task.',
    roles: DIRECTOR_ONLY,
    input: z.strictObject({ approvalId, note: text(2000).optional(), edits: taskEditsSchema.optional() }),
    output: oneApproval,
    annotations: IDEMPOTENT_CHANGE,
    async run(args, { principal }) {
      return { approval: approvalView(await approvals.approve(requesterOf(principal), args.approvalId, { note: args.note, edits: args.edits })) };
    },
  });

  const reject = defineTool({
    name: 'reject',
    title: 'Reject',
    group: 'approvals',
    description: 'Reject a pending approval with a reason (recorded; the task or plan does not go ahead).',
    roles: DIRECTOR_ONLY,
    input: z.strictObject({ approvalId, reason }),
    output: oneApproval,
    annotations: IDEMPOTENT_CHANGE,
    async run(args, { principal }) {
      return { approval: approvalView(await approvals.reject(requesterOf(principal), args.approvalId, args.reason)) };
    },
  });

  return [listApprovals, approve, reject];
}
