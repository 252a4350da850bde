// Records the outcomes of attempts whose lease the caller holds: succeeded, retry after backoff, or dead letter;
// releases dependents and settles runs in the same transaction, with every event that says so.
import type { EventLog, NewEvent } from '../events/event-log';
import { type ClaimedRow, type ClaimedTask, type ClaimInput, type ClaimPrediction, isPredictionMiss, predictedAssignedEvents, predictedClaimParams, toClaimedTasks } from './claim-tasks';
import type { Queryable } from '../store/store';
import { retryDelayMs } from './backoff';
import { fromReleasedRow, type ReleasedTask, releasedEvents } from './release-dependents';
import { fromSettledRow, type SettledRun, settledEvents } from './settle-runs';

export type AttemptResult =
  | { kind: 'succeeded'; summary: string; output?: unknown; commit?: string; costUsd: number }
  | { kind: 'failed'; reason: string; retryable: boolean; costUsd: number };

export interface AttemptOutcomeInput {
  taskId: string;
  runId: string;
  /** The lease holder recording it; a lost lease means the outcome is not applied. */
  owner: string;
  attempt: number;
  attemptFloor: number;
  maxAttempts: number;
  employeeId: string | null;
  idempotencyKey: string;
  result: AttemptResult;
}

export type AttemptTransition = 'succeeded' | 'retry_wait' | 'dead_letter';

export interface CompletionReport {
  /** Task id → the status its outcome moved it to; outcomes missing here were not applied (lease lost). */
  applied: Map<string, AttemptTransition>;
  released: ReleasedTask[];
  settled: SettledRun[];
  /** The events of all of it, for the caller to append in the same transaction. */
  events: NewEvent[];
}

export interface CompleteInput {
  outcomes: readonly AttemptOutcomeInput[];
  now: Date;
  backoffMs: readonly number[];
  actor: string;
}

interface Planned {
  status: AttemptTransition;
  delayMs: number;
  notBefore: Date | null;
}

/** What an outcome does: success; a retryable failure with attempts left waits its backoff; anything else is a dead letter. */
export function planTransition(outcome: AttemptOutcomeInput, now: Date, backoffMs: readonly number[]): Planned {
  if (outcome.result.kind === 'succeeded') return { status: 'succeeded', delayMs: 0, notBefore: null };
  const used = outcome.attempt - outcome.attemptFloor;
  if (outcome.result.retryable && used < outcome.maxAttempts) {
    const delayMs = retryDelayMs(used, backoffMs);
    return { status: 'retry_wait', delayMs, notBefore: new Date(now.getTime() + delayMs) };
  }
  return { status: 'dead_letter', delayMs: 0, notBefore: null };
}

function completionItems(input: CompleteInput, planned: ReadonlyMap<string, Planned>) {
  return input.outcomes.map((o) => {
    const p = planned.get(o.taskId)!;
    const r = o.result;
    return {
      id: o.taskId,
      owner: o.owner,
      attempt: o.attempt,
      status: p.status,
      notBefore: p.notBefore?.toISOString() ?? null,
      error: r.kind === 'failed' ? r.reason : null,
      result: r.kind === 'succeeded' ? { summary: r.summary, output: r.output, commit: r.commit, employeeId: o.employeeId } : null,
      costUsd: r.costUsd,
      key: o.idempotencyKey,
    };
  });
}

type ReportJson = { applied: Array<{ id: string; status: AttemptTransition }>; released: never[]; settled: never[] };

function toReport(input: CompleteInput, planned: ReadonlyMap<string, Planned>, report: ReportJson): CompletionReport {
  const applied = new Map(report.applied.map((a) => [a.id, a.status]));
  const released = report.released.map(fromReleasedRow);
  const settled = report.settled.map(fromSettledRow);
  const out: NewEvent[] = [];
  for (const o of input.outcomes) {
    if (!applied.has(o.taskId)) continue;
    out.push(...outcomeEvents(o, planned.get(o.taskId)!, input.actor));
  }
  out.push(...releasedEvents(released, input.actor), ...settledEvents(settled, input.actor));
  return { applied, released, settled, events: out };
}

export async function completeAttempts(tx: Queryable, input: CompleteInput): Promise<CompletionReport> {
  const planned = new Map(input.outcomes.map((o) => [o.taskId, planTransition(o, input.now, input.backoffMs)]));
  const row = await tx.query<{ report: ReportJson }>('SELECT aura.complete_attempts($1::jsonb, $2) AS report', [JSON.stringify(completionItems(input, planned)), input.now.toISOString()]);
  return toReport(input, planned, row.rows[0]!.report);
}

/** Claims riding along with outcomes in completeAndAppend: the dispatcher's claim and what it expects of it. */
export interface RidingClaims {
  input: ClaimInput;
  predictions: readonly ClaimPrediction[];
}

/**
 * Outcomes, the claims riding along and all their events in one statement (aura.complete_and_append), when this
 * process knows the runs' chain heads and the outcomes release no dependent and settle no run (events that cannot
 * be known in advance) and the claims go as predicted. Null when not ('releases' when it released or settled):
 * nothing was done, and the caller records them in a transaction.
 */
export async function completeAndAppend(
  q: Queryable,
  log: EventLog,
  input: CompleteInput,
  claims: RidingClaims,
): Promise<{ report: CompletionReport; claimed: ClaimedTask[] } | null | 'releases'> {
  const planned = new Map(input.outcomes.map((o) => [o.taskId, planTransition(o, input.now, input.backoffMs)]));
  const predicted = [...input.outcomes.flatMap((o) => outcomeEvents(o, planned.get(o.taskId)!, input.actor)), ...predictedAssignedEvents(claims.input, claims.predictions)];
  const chained = log.chainAtKnownHeads(predicted);
  if (!chained) return null;
  const params = [JSON.stringify(completionItems(input, planned)), input.now.toISOString(), claims.input.owner, ...predictedClaimParams(claims.input, claims.predictions), ...chained.params];
  const placeholders = params.map((_, i) => `$${i + 1}`).join(', ');
  let result: { report: ReportJson; claimed: ClaimedRow[]; ids: number[] };
  try {
    result = (await q.query<{ r: typeof result }>(`SELECT aura.complete_and_append(${placeholders}) AS r`, params)).rows[0]!.r;
  } catch (error) {
    if ((error as { code?: string } | null)?.code === 'AH410') return 'releases';
    if (isPredictionMiss(error)) return null;
    throw error;
  }
  chained.written(result.ids);
  return { report: toReport(input, planned, result.report), claimed: toClaimedTasks(result.claimed, new Date(claims.input.now.getTime() + claims.input.leaseMs)) };
}

export function outcomeEvents(o: AttemptOutcomeInput, p: Planned, actor: string): NewEvent[] {
  const base = { runId: o.runId, taskId: o.taskId, actor };
  const r = o.result;
  if (r.kind === 'succeeded') return [{ ...base, type: 'TaskSucceeded', payload: { employeeId: o.employeeId, attempt: o.attempt, summary: r.summary, costUsd: r.costUsd } }];
  const failed: NewEvent = { ...base, type: 'TaskFailed', payload: { employeeId: o.employeeId, attempt: o.attempt, reason: r.reason, retryable: r.retryable, ...(r.costUsd > 0 ? { costUsd: r.costUsd } : {}) } };
  if (p.status === 'retry_wait') {
    return [failed, { ...base, type: 'TaskRetrying', payload: { attempt: o.attempt, nextAttempt: o.attempt + 1, delayMs: p.delayMs, notBefore: p.notBefore!.toISOString() } }];
  }
  const used = o.attempt - o.attemptFloor;
  const why = r.retryable ? `failed ${used} of ${o.maxAttempts} attempts; last: ${r.reason}` : `not retryable: ${r.reason}`;
  return [failed, { ...base, type: 'TaskDeadLettered', payload: { attempts: used, reason: why } }];
}
