// What tools return about runs, tasks and approvals: JSON shapes (zod, for outputSchema) and the mappings to them.
import { z } from 'zod';
import type { Approval } from '../../../core/runs/approval-row';
import type { RunDetail, RunListItem } from '../../../core/runs/run-queries';
import type { TaskDetail, TaskListItem } from '../../../core/runs/task-queries';

export const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

const progressSchema = z.record(z.string(), z.number().int()).describe('task counts by status, and total');

export const runSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.string(),
  statusReason: z.string().nullable(),
  progress: progressSchema,
  costUsd: z.number(),
  budgetUsd: z.number().nullable(),
  planVersion: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  replayOf: z.string().nullable().describe('the run this one replays (a "Replaying" run: every call served from that run\'s record)'),
});

export function runSummaryView(r: RunListItem | RunDetail): z.infer<typeof runSummarySchema> {
  return { id: r.id, title: r.title, status: r.status, statusReason: r.statusReason, progress: { ...r.progress }, costUsd: r.costUsd, budgetUsd: r.budgetUsd, planVersion: r.planVersion, createdBy: r.createdBy, createdAt: iso(r.createdAt)!, finishedAt: iso(r.finishedAt), replayOf: r.replayOf };
}

export const taskSummarySchema = z.object({
  id: z.string(),
  runId: z.string(),
  key: z.string().describe('the task id inside its plan'),
  title: z.string(),
  kind: z.string(),
  status: z.string(),
  dependsOn: z.array(z.string()).describe('plan keys'),
  attempt: z.number().int(),
  attemptsLeft: z.number().int(),
  employeeId: z.string().nullable(),
  costUsd: z.number(),
  lastError: z.string().nullable(),
});

export function taskSummaryView(t: TaskListItem): z.infer<typeof taskSummarySchema> {
  return { id: t.id, runId: t.runId, key: t.key, title: t.title, kind: t.kind, status: t.status, dependsOn: t.dependsOn, attempt: t.attempt, attemptsLeft: t.attemptsLeft, employeeId: t.employeeId, costUsd: t.costUsd, lastError: t.lastError };
}

const blockedBySchema = z.array(z.string()).describe('for a waiting task: the keys of the dead-lettered tasks that hold it back (retry or skip them)');

const approvalBrief = z.object({ id: z.string(), subject: z.string(), taskId: z.string().nullable(), reason: z.string(), rule: z.string().nullable(), requestedAt: z.string() });
const approvalBriefView = (a: Approval) => ({ id: a.id, subject: a.subject, taskId: a.taskId, reason: a.reason, rule: a.rule, requestedAt: iso(a.requestedAt)! });

export const runDetailSchema = runSummarySchema.extend({
  policySet: z.string().nullable(),
  workspace: z.string().nullable(),
  planner: z.string(),
  planHash: z.string(),
  /** The plan DAG: its tasks in queue order, each with its state; edges are dependsOn (plan keys). */
  tasks: z.array(taskSummarySchema.omit({ runId: true }).extend({ inPlan: z.boolean(), blockedBy: blockedBySchema })),
  pendingApprovals: z.array(approvalBrief),
});

export function runDetailView(r: RunDetail): z.infer<typeof runDetailSchema> {
  return {
    ...runSummaryView(r),
    policySet: r.policySet,
    workspace: r.workspace,
    planner: r.planner,
    planHash: r.planHash,
    tasks: r.tasks.map((t) => {
      const { runId: _runId, ...rest } = taskSummaryView({ ...t, seq: 0 });
      return { ...rest, inPlan: t.inPlan, blockedBy: t.blockedBy };
    }),
    pendingApprovals: r.pendingApprovals.map(approvalBriefView),
  };
}

export const evidenceBriefSchema = z.object({ hash: z.string(), kind: z.string(), attempt: z.number().int().nullable(), createdAt: z.string() });

export const taskDetailSchema = taskSummarySchema.extend({
  description: z.string(),
  acceptance: z.object({ criteria: z.array(z.string()), commands: z.array(z.string()) }),
  scope: z.array(z.string()),
  scopeSource: z.enum(['declared', 'inferred', 'default']).describe('declared in the PRD, inferred from the files the task names, or the default (the repository minus protected paths)'),
  blockedBy: blockedBySchema,
  skills: z.array(z.string()),
  maxAttempts: z.number().int(),
  timeoutMs: z.number().int(),
  triedEmployees: z.array(z.string()),
  result: z.object({ summary: z.string(), output: z.unknown().optional(), commit: z.string().optional() }).nullable(),
  pendingApproval: approvalBrief.nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  evidence: z.array(evidenceBriefSchema).describe('evidence bundles recorded for this task; read one with get_evidence'),
});

export function taskDetailView(t: TaskDetail, evidence: Array<{ hash: string; kind: string; attempt: number | null; createdAt: Date }>): z.infer<typeof taskDetailSchema> {
  return {
    ...taskSummaryView(t),
    description: t.spec.description,
    acceptance: { criteria: t.spec.acceptance.criteria, commands: t.spec.acceptance.commands },
    scope: t.spec.scope,
    scopeSource: t.spec.scopeSource ?? 'declared',
    blockedBy: t.blockedBy,
    skills: t.spec.skills,
    maxAttempts: t.maxAttempts,
    timeoutMs: t.timeoutMs,
    triedEmployees: t.triedEmployees,
    result: t.result ? { summary: t.result.summary, output: t.result.output, commit: t.result.commit } : null,
    pendingApproval: t.pendingApproval ? approvalBriefView(t.pendingApproval) : null,
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    evidence: evidence.map((e) => ({ hash: e.hash, kind: e.kind, attempt: e.attempt, createdAt: iso(e.createdAt)! })),
  };
}
