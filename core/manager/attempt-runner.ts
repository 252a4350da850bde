// Runs one claimed attempt: the employee executes the assignment under a timeout and the lease, its result is
// checked and stored under the idempotency key the moment it ends (before verification, so a Manager killed
// while verifying never has the employee run again: the resumed attempt verifies the stored result).
import type { Clock } from '../domain/clock';
import { AuraError, toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { ClaimedTask } from '../queue/claim-tasks';
import type { AttemptOutcomeInput, AttemptResult } from '../queue/complete-attempts';
import type { Idempotency } from '../queue/idempotency';
import { retryTransient } from '../queue/transient-errors';
import { isReplayMiss } from '../replay/replay-serving';
import type { Employee } from '../workforce/employee';
import type { Assignment, BaseModelWorker, WorkResult } from '../workforce/worker';
import type { Governance, Verdict } from './governance-port';
import type { ManagerMemory } from './memory-port';
import { checkWorkResult } from './work-result';

export interface AttemptReport {
  outcome: AttemptOutcomeInput;
  assignment: Assignment;
  result: WorkResult | null;
  verdict: Verdict | null;
  error?: string;
}

export interface AttemptDeps {
  events: EventLog;
  idempotency: Idempotency;
  governance: Governance;
  clock: Clock;
  logger: Logger;
  owner: string;
  actor: string;
  memory?: ManagerMemory;
}

export interface AttemptInput {
  claimed: ClaimedTask;
  employee: Employee;
  worker: BaseModelWorker;
  run: { title: string; workspace: string | null };
  /** Aborted when the lease is lost (task cancelled, skipped, replanned, or expired elsewhere). */
  leaseLost: AbortSignal;
}

/** Where an attempt's result is kept under its idempotency key. */
export const RESULT_EFFECT = 'result';

/** Returns null when the lease was lost: the attempt's outcome is no longer this Manager's to record. */
export async function runAttempt(deps: AttemptDeps, input: AttemptInput): Promise<AttemptReport | null> {
  const { claimed, employee } = input;
  const log = deps.logger.child({ runId: claimed.runId, taskId: claimed.id, attempt: claimed.attempt, employeeId: employee.id });
  const assignment: Assignment = {
    runId: claimed.runId,
    taskId: claimed.id,
    attempt: claimed.attempt,
    idempotencyKey: claimed.idempotencyKey,
    task: claimed.spec,
    employee,
    context: { runTitle: input.run.title, dependencies: claimed.dependencies.map(({ taskId, title, summary }) => ({ taskId, title, summary })) },
    deadline: deps.clock.now().getTime() + claimed.timeoutMs,
    manager: deps.owner,
  };
  const report = (result: AttemptResult, extra: Omit<AttemptReport, 'outcome' | 'assignment'>): AttemptReport => ({
    outcome: {
      taskId: claimed.id,
      runId: claimed.runId,
      owner: deps.owner,
      attempt: claimed.attempt,
      attemptFloor: claimed.attemptFloor,
      maxAttempts: claimed.maxAttempts,
      employeeId: employee.id,
      idempotencyKey: claimed.idempotencyKey,
      result,
    },
    assignment,
    ...extra,
  });

  let raw: unknown;
  let recovered = false;
  if (claimed.resumed) {
    // The attempt ran before under another lease: if its result was stored, the employee is not run again.
    const stored = await retryTransient(() => deps.idempotency.get(claimed.idempotencyKey, RESULT_EFFECT), { clock: deps.clock, attempts: 3 }).catch(() => null);
    if (stored) {
      raw = stored.result;
      recovered = true;
      log.info('resumed attempt: the employee had finished; its stored result is verified');
    }
    assignment.resumed = { from: recovered ? 'stored-result' : 'worktree' };
  }
  if (!recovered) {
    if (deps.memory) assignment.context.memory = await memoryFor(deps.memory, assignment, log);
    const executed = await execute(deps, input, assignment, log);
    if (executed.kind === 'lost') return null;
    if (executed.kind === 'failed') return report({ kind: 'failed', reason: executed.reason, retryable: executed.retryable, costUsd: 0 }, { result: null, verdict: null, error: executed.reason });
    raw = executed.value;
  }
  const checked = checkWorkResult(raw);
  if (!checked.ok) return report({ kind: 'failed', reason: checked.reason, retryable: true, costUsd: checked.costUsd }, { result: null, verdict: null, error: checked.reason });
  const result = checked.result;
  if (!recovered) await storeResult(deps, claimed, result, log);
  if (input.leaseLost.aborted) return null;
  let verdict: Verdict;
  const verifying = deps.governance.verify(assignment, result);
  try {
    const answer = await untilLost(verifying, input.leaseLost);
    if (answer === LOST) return null;
    verdict = answer;
  } catch (error) {
    const reason = `verification could not run: ${toAuraError(error).message}`;
    return report({ kind: 'failed', reason, retryable: true, costUsd: result.telemetry.costUsd }, { result, verdict: null, error: reason });
  }
  const costUsd = result.telemetry.costUsd;
  if (verdict.passed) return report({ kind: 'succeeded', summary: result.summary, output: result.output, commit: result.commit, costUsd }, { result, verdict });
  const reason = (verdict.reason ?? (result.status === 'failed' ? result.summary : 'verification failed')) || 'the attempt failed';
  return report({ kind: 'failed', reason, retryable: verdict.retryable ?? true, costUsd }, { result, verdict });
}

/**
 * Stores the employee's result under the attempt's key before anything else happens to it: from here on a
 * Manager killed at any point leaves a resumed attempt that verifies this result instead of running the employee.
 */
async function storeResult(deps: AttemptDeps, claimed: ClaimedTask, result: WorkResult, log: Logger): Promise<void> {
  await retryTransient(
    () => deps.idempotency.storeOnce({ key: claimed.idempotencyKey, effect: RESULT_EFFECT, runId: claimed.runId, taskId: claimed.id, attempt: claimed.attempt }, result),
    { clock: deps.clock, attempts: 3 },
  ).catch((error) => log.warn({ err: toAuraError(error).message }, 'could not store the result for recovery; going on'));
}

/** Memory failing to answer leaves the employee without it; the work itself goes on. */
async function memoryFor(memory: ManagerMemory, assignment: Assignment, log: Logger) {
  try {
    return await memory.forAssignment(assignment);
  } catch (error) {
    log.warn({ err: toAuraError(error).message }, 'no memory context for this attempt');
    return undefined;
  }
}

const LOST = Symbol('lease lost');

/** Settles with `work`, or with LOST as soon as the lease is lost (verification can take long). */
function untilLost<T>(work: Promise<T>, leaseLost: AbortSignal): Promise<T | typeof LOST> {
  if (leaseLost.aborted) return Promise.resolve(LOST);
  return new Promise<T | typeof LOST>((resolve, reject) => {
    const onLost = () => resolve(LOST);
    leaseLost.addEventListener('abort', onLost, { once: true });
    work.then(resolve, reject).finally(() => leaseLost.removeEventListener('abort', onLost));
  });
}

type Executed = { kind: 'done'; value: unknown } | { kind: 'failed'; reason: string; retryable: boolean } | { kind: 'lost' };

async function execute(deps: AttemptDeps, input: AttemptInput, assignment: Assignment, log: Logger): Promise<Executed> {
  const { claimed, worker } = input;
  const controller = new AbortController();
  const timer = new AbortController();
  const onLost = () => controller.abort(new AuraError('conflict', 'the lease on this task was lost'));
  input.leaseLost.addEventListener('abort', onLost, { once: true });
  const progress = (note: string) => {
    deps.events
      .append({ type: 'TaskProgress', runId: claimed.runId, taskId: claimed.id, actor: `employee:${input.employee.id}`, payload: { attempt: claimed.attempt, note: String(note).replace(/\u0000/g, '').slice(0, 2000) } })
      .catch((error) => log.warn({ err: toAuraError(error).message }, 'could not record progress'));
  };
  const timeout = deps.clock.sleep(claimed.timeoutMs, timer.signal).then(
    () => 'timeout' as const,
    () => 'cancelled' as const,
  );
  const lost = new Promise<'lost'>((resolve) => (input.leaseLost.aborted ? resolve('lost') : input.leaseLost.addEventListener('abort', () => resolve('lost'), { once: true })));
  try {
    const work = Promise.resolve()
      .then(() => worker.execute(assignment, { signal: controller.signal, workdir: input.run.workspace ?? undefined, progress }))
      .then(
        (value) => ({ kind: 'done' as const, value }),
        (error: unknown) => ({ kind: 'threw' as const, error }),
      );
    const first = await Promise.race([work, timeout, lost]);
    if (first === 'lost' || first === 'timeout' || first === 'cancelled') {
      const why = first === 'timeout' ? new AuraError('timeout', `timed out after ${claimed.timeoutMs} ms`) : new AuraError('conflict', 'the lease on this task was lost');
      controller.abort(why);
      // Stopping the employee is best effort: its container is killed; an in-process worker sees the signal.
      await worker.cancel(claimed.id).catch((error) => log.warn({ err: toAuraError(error).message }, 'employee cancel failed'));
      if (first === 'timeout') return { kind: 'failed', reason: why.message, retryable: true };
      return { kind: 'lost' };
    }
    if (first.kind === 'threw') {
      const error = toAuraError(first.error);
      return { kind: 'failed', reason: `the employee failed: ${error.message}`.slice(0, 2000), retryable: !AuraError.is(first.error, 'policy_denied') && !isReplayMiss(first.error) };
    }
    return first;
  } finally {
    timer.abort();
    input.leaseLost.removeEventListener('abort', onLost);
  }
}
