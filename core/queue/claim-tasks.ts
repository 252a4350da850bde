// Claims chosen ready tasks for their employees (FOR UPDATE SKIP LOCKED, with a lease) and records TaskAssigned.
import { z } from 'zod';
import type { EventLog, NewEvent } from '../events/event-log';
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

export interface ClaimedRow {
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
  const claimed = toClaimedTasks(rows.rows, leaseUntil);
  return { claimed, events: assignedEvents(claimed, input, leaseUntil) };
}

/** What the claimer expects of each request: the run, and the attempt the claim hands out (resumed or next). */
export interface ClaimPrediction {
  runId: string;
  attempt: number;
  resumed: boolean;
}

/** The arguments of aura.claim_as_predicted after (owner, now), from the lease's end on. */
export function predictedClaimParams(input: ClaimInput, predictions: readonly ClaimPrediction[]): unknown[] {
  const leaseUntil = new Date(input.now.getTime() + input.leaseMs);
  return [
    leaseUntil.toISOString(),
    input.cap,
    input.requests.map((r) => r.taskId),
    input.requests.map((r) => r.employeeId),
    input.requests.map((r) => r.employeeLimit),
    predictions.map((p) => p.attempt),
    predictions.map((p) => p.resumed),
  ];
}

/** The TaskAssigned events the claim of every request as predicted appends. */
export function predictedAssignedEvents(input: ClaimInput, predictions: readonly ClaimPrediction[]): NewEvent[] {
  const leaseUntil = new Date(input.now.getTime() + input.leaseMs);
  return assignedEvents(
    input.requests.map((r, i) => ({ id: r.taskId, runId: predictions[i]!.runId, employeeId: r.employeeId, attempt: predictions[i]!.attempt, resumed: predictions[i]!.resumed, idempotencyKey: idempotencyKey(predictions[i]!.runId, r.taskId, predictions[i]!.attempt) })),
    input,
    leaseUntil,
  );
}

/**
 * The claim and its events in one statement (aura.claim_and_append) when this process knows the heads of the runs'
 * chains: null when it does not, or when the claim would not go as predicted (nothing was claimed then; the caller
 * claims in a transaction, which reads what it needs).
 */
export async function claimAndAppend(q: Queryable, log: EventLog, input: ClaimInput, predictions: readonly ClaimPrediction[]): Promise<ClaimedTask[] | null> {
  if (input.requests.length === 0) return [];
  const chained = log.chainAtKnownHeads(predictedAssignedEvents(input, predictions));
  if (!chained) return null;
  const params = [input.owner, input.now.toISOString(), ...predictedClaimParams(input, predictions), ...chained.params];
  const placeholders = params.map((_, i) => `$${i + 1}`).join(', ');
  let result: { claimed: ClaimedRow[]; ids: number[] };
  try {
    result = (await q.query<{ r: { claimed: ClaimedRow[]; ids: number[] } }>(`SELECT aura.claim_and_append(${placeholders}) AS r`, params)).rows[0]!.r;
  } catch (error) {
    if (isPredictionMiss(error)) return null;
    throw error;
  }
  chained.written(result.ids);
  return toClaimedTasks(result.claimed, new Date(input.now.getTime() + input.leaseMs));
}

/** The statement found the heads or the transition otherwise than predicted, and did nothing. */
export function isPredictionMiss(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'AH409';
}

export function toClaimedTasks(rows: readonly ClaimedRow[], leaseUntil: Date): ClaimedTask[] {
  return rows.map(
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
}

type Assigned = Pick<ClaimedTask, 'id' | 'runId' | 'employeeId' | 'attempt' | 'resumed' | 'idempotencyKey'>;

function assignedEvents(claimed: readonly Assigned[], input: Pick<ClaimInput, 'owner' | 'actor'>, leaseUntil: Date): NewEvent[] {
  return claimed.map(
    (c): NewEvent => ({
      type: 'TaskAssigned',
      runId: c.runId,
      taskId: c.id,
      actor: input.actor,
      payload: { employeeId: c.employeeId, attempt: c.attempt, idempotencyKey: c.idempotencyKey, owner: input.owner, leaseUntil: leaseUntil.toISOString(), resumed: c.resumed },
    }),
  );
}
