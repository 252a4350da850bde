// Records the outcomes of attempts whose lease the caller holds: succeeded, retry after backoff, or dead letter;
// releases dependents and settles runs in the same transaction, with every event that says so.
import type { NewEvent } from '../events/event-log';
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

export async function completeAttempts(tx: Queryable, input: CompleteInput): Promise<CompletionReport> {
  const { now, actor } = input;
  const planned = new Map(input.outcomes.map((o) => [o.taskId, planTransition(o, now, input.backoffMs)]));
  const items = input.outcomes.map((o) => {
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
  const row = await tx.query<{ report: { applied: Array<{ id: string; status: AttemptTransition }>; released: never[]; settled: never[] } }>(
    'SELECT aura.complete_attempts($1::jsonb, $2) AS report',
    [JSON.stringify(items), now.toISOString()],
  );
  const report = row.rows[0]!.report;
  const applied = new Map(report.applied.map((a) => [a.id, a.status]));
  const released = report.released.map(fromReleasedRow);
  const settled = report.settled.map(fromSettledRow);
  const out: NewEvent[] = [];
  for (const o of input.outcomes) {
    if (!applied.has(o.taskId)) continue;
    out.push(...outcomeEvents(o, planned.get(o.taskId)!, actor));
  }
  out.push(...releasedEvents(released, actor), ...settledEvents(settled, actor));
  return { applied, released, settled, events: out };
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
