// Event types of a task's lifecycle in the queue, and of the tool calls made while working on it.
import { z } from 'zod';

const attempt = z.number().int().positive();

export const taskEvents = {
  TaskQueued: z.object({ title: z.string(), kind: z.string(), dependsOn: z.array(z.string()) }),
  TaskReady: z.object({}),
  TaskAssigned: z.object({ employeeId: z.string(), attempt, idempotencyKey: z.string() }),
  TaskClaimed: z.object({ owner: z.string(), attempt, leaseUntil: z.string() }),
  TaskStarted: z.object({ employeeId: z.string(), attempt }),
  TaskSucceeded: z.object({ employeeId: z.string(), attempt, summary: z.string(), costUsd: z.number().nonnegative() }),
  TaskFailed: z.object({ employeeId: z.string().nullable(), attempt, reason: z.string(), retryable: z.boolean() }),
  TaskRetrying: z.object({ attempt, nextAttempt: attempt, delayMs: z.number().int().nonnegative(), notBefore: z.string() }),
  TaskDeadLettered: z.object({ attempts: z.number().int().nonnegative(), reason: z.string() }),
  TaskSkipped: z.object({ reason: z.string() }),
  TaskRequeued: z.object({ reason: z.string(), edits: z.record(z.string(), z.unknown()).optional() }),
  TaskLeaseExpired: z.object({ owner: z.string(), attempt }),
  TaskCancelled: z.object({ reason: z.string() }),
  ToolCalled: z.object({ tool: z.string(), callId: z.string(), input: z.unknown() }),
  ToolSucceeded: z.object({ tool: z.string(), callId: z.string(), durationMs: z.number().nonnegative(), output: z.unknown().optional() }),
  ToolFailed: z.object({ tool: z.string(), callId: z.string(), durationMs: z.number().nonnegative(), error: z.string() }),
} as const;
