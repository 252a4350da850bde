// Event types of a task's lifecycle in the queue, and of the tool calls made while working on it.
// Each queue transition appends exactly one of these (with the state change, in one transaction), so a
// task's status can be rebuilt from its events alone (core/runs/run-projection.ts does it).
import { z } from 'zod';

const attempt = z.number().int().positive();

export const taskEvents = {
  /** A task entered the queue: `pending` (dependencies open), `ready`, or `awaiting_approval` (an approval task). */
  TaskQueued: z.object({ key: z.string(), title: z.string(), kind: z.string(), dependsOn: z.array(z.string()), status: z.enum(['pending', 'ready', 'awaiting_approval']) }),
  /** Every dependency succeeded or was skipped, a retry's wait ended, a lease expired, or the Director let it go. */
  TaskReady: z.object({ reason: z.string().optional() }),
  /** The Manager claimed the task (lease to `owner` until `leaseUntil`) and gave it to an employee: the attempt starts. */
  TaskAssigned: z.object({ employeeId: z.string(), attempt, idempotencyKey: z.string(), owner: z.string(), leaseUntil: z.string(), resumed: z.boolean() }),
  TaskProgress: z.object({ attempt, note: z.string().max(2000) }),
  TaskSucceeded: z.object({ employeeId: z.string().nullable(), attempt, summary: z.string(), costUsd: z.number().nonnegative() }),
  TaskFailed: z.object({ employeeId: z.string().nullable(), attempt, reason: z.string(), retryable: z.boolean(), costUsd: z.number().nonnegative().optional() }),
  TaskRetrying: z.object({ attempt, nextAttempt: attempt, delayMs: z.number().int().nonnegative(), notBefore: z.string() }),
  TaskDeadLettered: z.object({ attempts: z.number().int().nonnegative(), reason: z.string() }),
  TaskSkipped: z.object({ reason: z.string() }),
  /** Back to pending by the Director (retry, optionally with edits) or a replan; TaskReady follows when nothing blocks it. */
  TaskRequeued: z.object({ reason: z.string(), edits: z.record(z.string(), z.unknown()).optional() }),
  /**
   * The lease holder stopped renewing (it died or lost the database), or `ownerGone`: its liveness lock was freed, so
   * it was taken over before the lease ran out. The same attempt is resumed by whoever claims next.
   */
  TaskLeaseExpired: z.object({ owner: z.string(), attempt, expiries: z.number().int().positive(), ownerGone: z.literal(true).optional() }),
  TaskCancelled: z.object({ reason: z.string() }),
  /** A container of a dead Manager's attempt was removed (found by its aura.manager label). */
  ContainerReaped: z.object({ containerId: z.string(), manager: z.string(), attempt: attempt.nullable(), running: z.boolean() }),
  ToolCalled: z.object({ tool: z.string(), callId: z.string(), input: z.unknown() }),
  ToolSucceeded: z.object({ tool: z.string(), callId: z.string(), durationMs: z.number().nonnegative(), output: z.unknown().optional() }),
  ToolFailed: z.object({ tool: z.string(), callId: z.string(), durationMs: z.number().nonnegative(), error: z.string() }),
} as const;
