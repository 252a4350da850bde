// The zod schemas of the orchestrator's inputs (the MCP shell reuses them), and the one way they are parsed.
import { z } from 'zod';
import { AuraError, describeIssues } from '../domain/errors';
import { eventTypes } from '../events/catalog';
import { acceptanceSchema } from '../manager/plan-schema';
import { taskStatuses } from '../queue/task-status';
import { workspaceIdSchema } from '../tenancy/workspace';
import { runStatuses } from './run-row';

export const actorSchema = z.string().trim().min(1).max(200);
export const reasonSchema = z.string().trim().min(1, 'give a reason').max(2000);
export const runIdSchema = z.string().regex(/^run_[a-z0-9]{1,40}$/, 'expected a run id (run_…)');
export const taskIdSchema = z.string().regex(/^task_[a-z0-9]{1,40}$/, 'expected a task id (task_…)');
export const approvalIdSchema = z.string().regex(/^apr_[a-z0-9]{1,40}$/, 'expected an approval id (apr_…)');

export const prdSchema = z
  .string()
  .max(10_000_000, 'the PRD is longer than 10,000,000 characters')
  .refine((s) => s.trim().length > 0, 'the PRD is empty')
  .refine((s) => !s.includes('\u0000'), 'the PRD contains the NUL character');

export const submitRunInputSchema = z
  .object({
    prd: prdSchema,
    title: z.string().trim().min(1).max(300).optional(),
    budgetUsd: z.number().nonnegative().max(1_000_000).optional(),
    policySet: z.string().trim().min(1).max(100).optional(),
    /** A git repository (absolute path) the run works in; the Employees issue gives it meaning. */
    workspace: z.string().trim().min(1).max(1000).optional(),
    /** The team workspace the run belongs to (core/tenancy); 'default' when omitted. */
    workspaceId: workspaceIdSchema.optional(),
  })
  .strict();
export type SubmitRunInput = z.infer<typeof submitRunInputSchema>;

export const listRunsInputSchema = z
  .object({
    status: z.array(z.enum(runStatuses)).max(runStatuses.length).optional(),
    limit: z.number().int().min(1).max(200).default(50),
    /** Paging: the id of the last run of the previous page (runs come newest first). */
    before: runIdSchema.optional(),
    /** Only runs of this team workspace. */
    workspaceId: workspaceIdSchema.optional(),
  })
  .strict();
export type ListRunsInput = z.input<typeof listRunsInputSchema>;

export const replanInputSchema = z.object({ prd: prdSchema.optional() }).strict();
export type ReplanInput = z.infer<typeof replanInputSchema>;

export const listTasksInputSchema = z
  .object({
    runId: runIdSchema.optional(),
    status: z.array(z.enum(taskStatuses)).max(taskStatuses.length).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    /** Paging: the `seq` of the last task of the previous page (tasks come in queue order). */
    afterSeq: z.number().int().nonnegative().optional(),
    /** Only tasks of runs of this team workspace. */
    workspaceId: workspaceIdSchema.optional(),
  })
  .strict();
export type ListTasksInput = z.input<typeof listTasksInputSchema>;

/** What the Director may change in a task on retry or approval (not its id, kind or dependencies). */
export const taskEditsSchema = z
  .object({
    title: z.string().min(1).max(300),
    description: z.string().max(20_000),
    acceptance: acceptanceSchema,
    scope: z.array(z.string().min(1).max(500)).max(100),
    skills: z.array(z.string().min(1).max(64)).max(20),
    maxAttempts: z.number().int().min(1).max(10),
    timeoutMs: z.number().int().min(1_000).max(24 * 3_600_000),
  })
  .partial()
  .strict();
export type TaskEdits = z.infer<typeof taskEditsSchema>;

export const retryTaskInputSchema = z.object({ edits: taskEditsSchema.optional() }).strict();
export type RetryTaskInput = z.infer<typeof retryTaskInputSchema>;

export const approvalDecisionSchema = z
  .object({
    approved: z.boolean(),
    by: actorSchema,
    /** Why: required when rejecting. */
    note: z.string().trim().max(2000).optional(),
    edits: taskEditsSchema.optional(),
  })
  .strict()
  .refine((d) => d.approved || (d.note?.length ?? 0) > 0, { message: 'a rejection needs a reason (note)', path: ['note'] });
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

export const listApprovalsInputSchema = z
  .object({ status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(), runId: runIdSchema.optional(), workspaceId: workspaceIdSchema.optional(), limit: z.number().int().min(1).max(500).default(100) })
  .strict();
export type ListApprovalsInput = z.input<typeof listApprovalsInputSchema>;

export const eventQueryInputSchema = z
  .object({
    runId: runIdSchema.optional(),
    taskId: taskIdSchema.optional(),
    stream: z.string().min(1).max(100).optional(),
    types: z.array(z.enum(eventTypes as [string, ...string[]])).max(100).optional(),
    since: z.coerce.date().optional(),
    until: z.coerce.date().optional(),
    afterId: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type EventQueryInput = z.input<typeof eventQueryInputSchema>;


/** Parses a service input; a bad one is the caller's error (`invalid_input`) naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AuraError('invalid_input', `Invalid ${what}: ${describeIssues(parsed.error.issues)}`, { details: { issues: parsed.error.issues } });
  return parsed.data;
}
