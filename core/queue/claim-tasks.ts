// Claims chosen ready tasks for their employees (FOR UPDATE SKIP LOCKED, with a lease) and records TaskAssigned.
import { z } from 'zod';
import type { NewEvent } from '../events/event-log';
import { type PlanTask, planTaskSchema } from '../manager/plan-schema';
import type { Queryable } from '../store/store';
import { idempotencyKey } from './task-row';

export interface ClaimRequest {
  taskId: string;
  employeeId: string;
  /** The employee's own limit of tasks at once (profile.maxConcurrent). */
  employeeLimit: number;
}

export interface ClaimedTask {
  id: string;
  runId: string;
  key: string;
  spec: PlanTask;
  attempt: number;
  attemptFloor: number;
  maxAttempts: number;
  timeoutMs: number;
  employeeId: string;
  /** The same attempt resumed after its lease expired (the idempotency key is unchanged). */
  resumed: boolean;
  dependencies: Array<{ taskId: string; key: string; title: string; summary: string }>;
  idempotencyKey: string;
  leaseUntil: Date;
}

interface ClaimedRow {
  id: string;
  run_id: string;
  key: string;
  spec: unknown;
  attempt: number;
  attempt_floor: number;
  max_attempts: number;
  timeout_ms: number;
  employee_id: string;
  resumed: boolean;
  deps: unknown;
}

const depsSchema = z.array(z.object({ taskId: z.string(), key: z.string(), title: z.string(), summary: z.string() }));

export interface ClaimInput {
  owner: string;
  now: Date;
  leaseMs: number;
  /** Running tasks allowed at once across every Manager on this database. */
  cap: number;
  requests: readonly ClaimRequest[];
  actor: string;
}

/**
 * Claims what it can of `requests` (others may have taken some, or limits hold them back); the rest stay ready.
 * Returns the TaskAssigned events for the caller to append in the same transaction.
 */
export async function claimTasks(tx: Queryable, input: ClaimInput): Promise<{ claimed: ClaimedTask[]; events: NewEvent[] }> {
  if (input.requests.length === 0) return { claimed: [], events: [] };
  const leaseUntil = new Date(input.now.getTime() + input.leaseMs);
  const rows = await tx.query<ClaimedRow>('SELECT * FROM aura.claim_tasks($1, $2, $3, $4, $5::text[], $6::text[], $7::int[])', [
    input.owner,
    input.now.toISOString(),
    leaseUntil.toISOString(),
    input.cap,
    input.requests.map((r) => r.taskId),
    input.requests.map((r) => r.employeeId),
    input.requests.map((r) => r.employeeLimit),
  ]);
  const claimed = rows.rows.map(
    (row): ClaimedTask => ({
      id: row.id,
      runId: row.run_id,
      key: row.key,
      spec: planTaskSchema.parse(row.spec),
      attempt: Number(row.attempt),
      attemptFloor: Number(row.attempt_floor),
      maxAttempts: Number(row.max_attempts),
      timeoutMs: Number(row.timeout_ms),
      employeeId: row.employee_id,
      resumed: row.resumed,
      dependencies: depsSchema.parse(row.deps ?? []),
      idempotencyKey: idempotencyKey(row.run_id, row.id, Number(row.attempt)),
      leaseUntil,
    }),
  );
  const events = claimed.map(
    (c): NewEvent => ({
      type: 'TaskAssigned',
      runId: c.runId,
      taskId: c.id,
      actor: input.actor,
      payload: { employeeId: c.employeeId, attempt: c.attempt, idempotencyKey: c.idempotencyKey, owner: input.owner, leaseUntil: leaseUntil.toISOString(), resumed: c.resumed },
    }),
  );
  return { claimed, events };
}
