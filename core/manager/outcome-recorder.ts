// Records attempt outcomes. Batched mode is group commit: outcomes that arrive while a transaction is in flight
// go together in the next one. Each transaction also runs governance.afterAttempt for every applied outcome.
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import { type AttemptTransition, type CompleteInput, completeAndAppend, completeAttempts } from '../queue/complete-attempts';
import { isTransientDbError, retryTransient } from '../queue/transient-errors';
import type { Store } from '../store/store';
import type { AttemptReport } from './attempt-runner';
import type { ClaimedWork, Dispatcher, PreparedClaim } from './dispatcher';
import type { Governance } from './governance-port';

/** 'lost': the lease was gone; 'unrecorded': the database refused it (the lease will expire and the attempt resume). */
export type RecordOutcome = AttemptTransition | 'lost' | 'unrecorded';

export interface OutcomeRecorder {
  record(report: AttemptReport): Promise<RecordOutcome>;
  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void>;
}

export interface OutcomeRecorderDeps {
  store: Store;
  events: EventLog;
  governance: Governance;
  clock: Clock;
  logger: Logger;
  backoffMs: readonly number[];
  /** 1: each outcome in its own transaction, concurrently; more: group commit of up to this many. */
  batchSize: number;
  actor: string;
  /**
   * Batched mode: claim the next tasks for the slots a batch frees in the batch's own transaction (one
   * transaction instead of two per task); `onClaimed` starts them once it committed.
   */
  claimNext?: { dispatcher: Dispatcher; onClaimed(claimed: ClaimedWork[]): void; mayClaim?: () => Promise<boolean> };
}

interface Pending {
  report: AttemptReport;
  resolve: (outcome: RecordOutcome) => void;
}

export function createOutcomeRecorder(deps: OutcomeRecorderDeps): OutcomeRecorder {
  const queue: Pending[] = [];
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];

  // Runs whose outcomes released dependents or settled the run in the one-statement path's stead: recorded in a
  // transaction from then on (a DAG run releases on most outcomes; its events cannot be chained in advance).
  const releasingRuns = new Set<string>();

  /** The batch in one statement, when nothing else has to write in its transaction; null when it must take the long way. */
  const commitInOneStatement = async (batch: readonly Pending[], riding: OutcomeRecorderDeps['claimNext'] | null, prepared: readonly PreparedClaim[], input: CompleteInput) => {
    if (deps.governance.afterAttemptWrites !== false) return null;
    if (batch.some((p) => releasingRuns.has(p.report.outcome.runId))) return null;
    const claims = riding ? riding.dispatcher.claimInput(prepared) : { input: { owner: deps.actor, now: input.now, leaseMs: 0, cap: 0, requests: [], actor: deps.actor }, predictions: [] };
    try {
      const done = await completeAndAppend(deps.store, deps.events, input, claims);
      if (done === 'releases') {
        if (releasingRuns.size >= 10_000) releasingRuns.clear();
        for (const p of batch) releasingRuns.add(p.report.outcome.runId);
        return null;
      }
      return done ? { applied: done.report.applied, claimed: riding ? riding.dispatcher.toWork(prepared, done.claimed) : [] } : null;
    } catch (error) {
      // Whether it committed is unknown: the transaction below finds out (what was applied is no longer running).
      if (isTransientDbError(error)) return null;
      throw error;
    }
  };

  const commit = async (batch: readonly Pending[]): Promise<Map<string, AttemptTransition>> => {
    // The run gate holds here too: no claim rides along while attempts cannot run (engine down).
    const riding = deps.claimNext && deps.batchSize > 1 && (await (deps.claimNext.mayClaim?.() ?? true)) ? deps.claimNext : null;
    // Chosen before the transaction: choosing asks governance, which must not run inside it (PGlite has one connection).
    const prepared = riding ? await riding.dispatcher.prepare(batch.length, batch.map((p) => p.report.assignment.employee.id)).catch(() => []) : [];
    const input = (): CompleteInput => ({ outcomes: batch.map((p) => p.report.outcome), now: deps.clock.now(), backoffMs: deps.backoffMs, actor: deps.actor });
    const fast = await commitInOneStatement(batch, riding, prepared, input());
    const { applied, claimed } =
      fast ??
      (await retryTransient(
        () =>
          deps.store.transaction(async (tx) => {
            const report = await completeAttempts(tx, input());
            const claims = riding ? await riding.dispatcher.claim(tx, prepared) : { claimed: [], events: [] };
            // The claim commits asynchronously; the outcomes it rides with must not.
            if (claims.claimed.length) await tx.query("SELECT set_config('synchronous_commit', 'on', true)");
            await deps.events.appendIn(tx, [...report.events, ...claims.events]);
            for (const p of batch) {
              if (!report.applied.has(p.report.outcome.taskId)) continue;
              const { assignment, result, verdict, error } = p.report;
              await deps.governance.afterAttempt(tx, { assignment, result, verdict, error });
            }
            return { applied: report.applied, claimed: claims.claimed };
          }),
        { clock: deps.clock, attempts: 8, onRetry: (error, n) => deps.logger.warn({ err: toAuraError(error).message, retry: n }, 'recording outcomes failed; retrying') },
      ));
    if (claimed.length) riding!.onClaimed(claimed);
    return applied;
  };

  const settle = (batch: readonly Pending[], applied: Map<string, AttemptTransition> | null) => {
    for (const p of batch) p.resolve(applied ? (applied.get(p.report.outcome.taskId) ?? 'lost') : 'unrecorded');
  };

  const flush = async (batch: Pending[]): Promise<void> => {
    try {
      settle(batch, await commit(batch));
    } catch (error) {
      if (batch.length > 1 && !isTransientDbError(error)) {
        // One outcome (or its afterAttempt) the database refuses must not sink the others: record them one by one.
        for (const p of batch) await flush([p]);
        return;
      }
      for (const p of batch) deps.logger.error({ taskId: p.report.outcome.taskId, attempt: p.report.outcome.attempt, err: toAuraError(error).message }, 'could not record an attempt outcome');
      settle(batch, null);
    }
  };

  let scheduled = false;
  const pump = () => {
    const limit = deps.batchSize <= 1 ? Infinity : 1;
    // Batched: outcomes that finish in the same turn of the event loop go in one transaction.
    if (deps.batchSize > 1 && inFlight === 0 && !scheduled && queue.length < deps.batchSize) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        drainQueue(limit);
      });
      return;
    }
    if (!scheduled) drainQueue(limit);
  };

  const drainQueue = (limit: number) => {
    while (queue.length && inFlight < limit) {
      const batch = queue.splice(0, Math.max(deps.batchSize, 1));
      inFlight += 1;
      void flush(batch).finally(() => {
        inFlight -= 1;
        if (queue.length) pump();
        else if (inFlight === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const w of waiters) w();
        }
      });
    }
  };

  return {
    record(report) {
      return new Promise<RecordOutcome>((resolve) => {
        queue.push({ report, resolve });
        pump();
      });
    },
    idle() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
