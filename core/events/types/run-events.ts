// Event types of a run's lifecycle (owned by the Manager).
import { z } from 'zod';

const cost = z.number().nonnegative();

export const runEvents = {
  RunStarted: z.object({
    title: z.string(),
    prdHash: z.string(),
    budgetUsd: cost.nullable(),
    policySet: z.string().nullable(),
    workspace: z.string().nullable(),
    /** The team workspace the run belongs to (core/tenancy); absent on runs from before workspaces. */
    workspaceId: z.string().optional(),
  }),
  PlanGenerated: z.object({
    planHash: z.string(),
    planner: z.string(),
    taskCount: z.number().int().nonnegative(),
    version: z.number().int().positive(),
    plan: z.unknown(),
    /** What the planner ignored or guessed (structural planner), or why it fell back. */
    notes: z.array(z.string()).optional(),
    /** What planning this version cost (a model planner's calls), so the run's cost can be rebuilt from its events. */
    costUsd: cost.optional(),
  }),
  ReplanProposed: z.object({
    version: z.number().int().positive(),
    planHash: z.string(),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.string()),
    changedFraction: z.number().min(0),
    needsApproval: z.boolean(),
    approvalId: z.string().nullable().optional(),
    /** What planning the proposal cost. */
    costUsd: cost.optional(),
  }),
  RunPaused: z.object({ reason: z.string() }),
  RunResumed: z.object({ reason: z.string().optional() }),
  RunCompleted: z.object({ outcome: z.enum(['succeeded', 'partial']), costUsd: cost, succeeded: z.number().int(), skipped: z.number().int(), deadLettered: z.number().int() }),
  /** Dead letters hold back tasks that still wait: nothing runs until the Director retries or skips one (not settled). */
  RunBlocked: z.object({ deadLettered: z.number().int(), succeeded: z.number().int(), skipped: z.number().int() }),
  RunFailed: z.object({ reason: z.string(), costUsd: cost }),
  RunCancelled: z.object({ reason: z.string() }),
} as const;
