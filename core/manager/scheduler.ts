// The Manager's loop in one process: wake on NOTIFY (or the poll), dispatch ready tasks to employees up to the
// cap, run each attempt under a renewed lease, record outcomes; the leader also sweeps leases and retry timers.
// Loud invariant: an attempt this process claimed is always either recorded, released, or left to its lease.
import type { ContainerRuntime } from '../containers/container-runtime';
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { AuditSigner } from '../events/chain';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { Idempotency } from '../queue/idempotency';
import { QUEUE_CHANNEL } from '../queue/queue-channel';
import { releaseLeases } from '../queue/release-leases';
import { renewLeases } from '../queue/renew-leases';
import { retryTransient } from '../queue/transient-errors';
import type { Store } from '../store/store';
import { withRecordingAttempt } from '../replay/recording-attempt';
import { runAttempt } from './attempt-runner';
import type { ManagerMemory } from './memory-port';
import { type ClaimedWork, createDispatcher } from './dispatcher';
import type { EmployeePool } from './employee-pool';
import type { Governance } from './governance-port';
import { checkpointDuty } from './duties/checkpoint-duty';
import { createContainerReaper } from './duties/container-reaper';
import { reapDeadManagers, takeoverDuty } from './duties/takeover-duty';
import { createLeaderDuties, type LeaderDuty, retriesDuty } from './leader-duties';
import { monthlyBudgetDuty } from '../tenancy/monthly-budget-duty';
import { createManagerLiveness } from './manager-liveness';
import { createOutcomeRecorder, type RecordOutcome } from './outcome-recorder';
import type { SchedulerOptions } from './scheduler-options';
import { createWaker } from './waker';

/** Answers whether attempts may start now (e.g. the container engine is up); when not, ready tasks wait. */
export type RunGate = () => Promise<{ ok: boolean; reason?: string }>;

export interface SchedulerObserver {
  onAttemptStart?(info: { taskId: string; runId: string; attempt: number; employeeId: string }): void;
  onAttemptRecorded?(info: { taskId: string; runId: string; attempt: number; outcome: RecordOutcome }): void;
}

export interface SchedulerDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  logger: Logger;
  governance: Governance;
  pool: EmployeePool;
  idempotency: Idempotency;
  options: SchedulerOptions;
  canRunNow?: RunGate;
  observer?: SchedulerObserver;
  /** Chooses each assignment's memory context (attempt-runner); absent: none. */
  memory?: ManagerMemory;
  /** The engine employees' containers run on: a dead Manager's containers are removed from it. */
  containers?: ContainerRuntime;
  /** With a folder: the leader writes the signed checkpoint of chain heads there ($AURA_HOME/audit). */
  checkpoint?: { signer: AuditSigner; dir: string };
  /** More duties for the leader's sweep, after the built-in ones (takeover, retries, checkpoint). */
  leaderDuties?: readonly LeaderDuty[];
}

export interface Scheduler {
  start(): Promise<void>;
  /** Stops claiming; waits up to `graceMs` for running attempts, then stops them and releases their leases. */
  stop(graceMs?: number): Promise<void>;
  isLeader(): boolean;
  /** Attempts running in this process now. */
  running(): number;
  /** Runs the leader's duties once now (tests, and after a clock jump). */
  sweep(): Promise<void>;
  wake(): void;
}

interface InFlight {
  taskId: string;
  runId: string;
  attempt: number;
  lease: AbortController;
  done: Promise<void>;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { options, clock } = deps;
  const log = deps.logger.child({ owner: options.owner });
  const actor = `manager:${options.owner}`;
  const waker = createWaker(clock);
  const inFlight = new Map<string, InFlight>();
  const stopping = new AbortController();
  let loops: Promise<void>[] = [];
  let unlisten: (() => Promise<void>) | null = null;
  let gateClosedReason: string | null = null;

  const dispatcher = createDispatcher({
    ...deps,
    logger: log,
    owner: options.owner,
    actor,
    cap: options.concurrency,
    leaseMs: options.leaseMs,
    claimBatchSize: options.claimBatchSize,
    retryAsideMs: options.pollMs * 5,
    preparedTtlMs: options.preparedTtlMs,
  });
  const recorder = createOutcomeRecorder({
    ...deps,
    logger: log,
    backoffMs: options.backoffMs,
    batchSize: options.completeBatchSize,
    actor,
    claimNext: { dispatcher, onClaimed: (claimed) => (stopping.signal.aborted ? handBack(claimed) : claimed.forEach(launch)), mayClaim: () => gateOpen() },
  });
  const reaper = deps.containers ? createContainerReaper({ runtime: deps.containers, store: deps.store, events: deps.events, actor }) : undefined;
  const takeover = { store: deps.store, events: deps.events, logger: log, options, actor, reaper };
  const duties: LeaderDuty[] = [
    takeoverDuty(takeover),
    retriesDuty({ store: deps.store, events: deps.events, actor }),
    monthlyBudgetDuty({ store: deps.store, events: deps.events, clock, logger: log, actor }),
    ...(deps.checkpoint ? [checkpointDuty({ store: deps.store, clock, signer: deps.checkpoint.signer, dir: deps.checkpoint.dir, everyMs: options.checkpointMs })] : []),
    ...(deps.leaderDuties ?? []),
  ];
  const leader = createLeaderDuties({ store: deps.store, clock, logger: log, options, duties, onWork: () => waker.wake() });
  // Losing the liveness session means others may take this Manager's attempts from now on: stop them here first,
  // then hand them back (same attempt; a stored result is reused) rather than leave them to their leases.
  const onLivenessLost = () => {
    const held = [...inFlight.values()];
    if (held.length === 0) return;
    for (const f of held) f.lease.abort();
    const leases = held.map((f) => ({ taskId: f.taskId, attempt: f.attempt }));
    const done = retryTransient(() => releaseLeases(deps.store, deps.events, { owner: options.owner, leases, now: clock.now(), actor }), { clock, attempts: 12 })
      .catch((error) => log.warn({ err: toAuraError(error).message }, 'could not hand back attempts after losing liveness; the leader takes them over'))
      .finally(() => handingBack.delete(done));
    handingBack.add(done);
  };
  const liveness = createManagerLiveness({ store: deps.store, clock, logger: log, owner: options.owner, onLost: onLivenessLost, engine: reaper ? () => reaper.engine() : undefined });

  const gateOpen = async (): Promise<boolean> => {
    // Not registered as alive: anything claimed now would be taken over at once.
    if (!(await liveness.ensure())) return false;
    if (!deps.canRunNow) return true;
    const gate = await deps.canRunNow().catch((error) => ({ ok: false, reason: toAuraError(error).message }));
    if (!gate.ok && gateClosedReason === null) log.warn({ reason: gate.reason }, 'attempts wait: cannot run now');
    if (gate.ok && gateClosedReason !== null) log.info('attempts may run again');
    gateClosedReason = gate.ok ? null : (gate.reason ?? 'not ready');
    return gate.ok;
  };

  /** Claims that landed while stopping are handed back at once rather than started. */
  const handingBack = new Set<Promise<unknown>>();
  function handBack(claimed: ClaimedWork[]): void {
    const leases = claimed.map((c) => ({ taskId: c.task.id, attempt: c.task.attempt }));
    const done = releaseLeases(deps.store, deps.events, { owner: options.owner, leases, now: clock.now(), actor })
      .catch((error) => log.warn({ err: toAuraError(error).message }, 'could not hand back claims; their leases will expire'))
      .finally(() => handingBack.delete(done));
    handingBack.add(done);
  }

  function launch(claimed: ClaimedWork): void {
    const { task, employee, run } = claimed;
    const lease = new AbortController();
    deps.observer?.onAttemptStart?.({ taskId: task.id, runId: task.runId, attempt: task.attempt, employeeId: employee.id });
    const done = (async () => {
      try {
        // Every model and tool call of the attempt (the employee's and the Auditor's) is recorded as this attempt's.
        const report = await withRecordingAttempt({ runId: task.runId, taskKey: task.spec.id, attempt: task.attempt, taskId: task.id }, () =>
          runAttempt({ ...deps, logger: log, owner: options.owner, actor }, { claimed: task, employee, worker: deps.pool.worker(employee), run, leaseLost: lease.signal }),
        );
        const outcome: RecordOutcome = report ? await recorder.record(report) : 'lost';
        deps.observer?.onAttemptRecorded?.({ taskId: task.id, runId: task.runId, attempt: task.attempt, outcome });
      } catch (error) {
        // A bug, not an employee failure (those are outcomes): the lease expires and the attempt resumes elsewhere.
        log.error({ taskId: task.id, err: toAuraError(error).message, stack: (error as Error).stack }, 'attempt crashed in the Manager');
      } finally {
        // The same task may already run again here (handed back after a lost session, claimed anew): keep that one.
        if (inFlight.get(task.id)?.lease === lease) inFlight.delete(task.id);
        waker.wake();
      }
    })();
    inFlight.set(task.id, { taskId: task.id, runId: task.runId, attempt: task.attempt, lease, done });
  }

  const dispatchLoop = async () => {
    let errorDelay = options.pollMs;
    while (!stopping.signal.aborted) {
      try {
        const free = options.concurrency - inFlight.size;
        if (free <= 0 || !(await gateOpen())) {
          await waker.wait(options.pollMs, stopping.signal);
          continue;
        }
        const claimed = await dispatcher.dispatch(free);
        for (const work of claimed) launch(work);
        errorDelay = options.pollMs;
        if (claimed.length === 0) await waker.wait(options.pollMs, stopping.signal);
      } catch (error) {
        if (stopping.signal.aborted) break;
        log.warn({ err: toAuraError(error).message }, 'dispatch failed; retrying');
        await clock.sleep(errorDelay, stopping.signal).catch(() => undefined);
        errorDelay = Math.min(errorDelay * 2, 10_000);
      }
    }
  };

  const heartbeat = async () => {
    const held = [...inFlight.values()];
    if (held.length === 0) return;
    const still = await renewLeases(deps.store, { owner: options.owner, leases: held.map((h) => ({ taskId: h.taskId, attempt: h.attempt })), until: new Date(clock.now().getTime() + options.leaseMs) });
    for (const h of held) if (!still.has(h.taskId) && inFlight.get(h.taskId) === h) h.lease.abort();
  };

  const heartbeatLoop = async () => {
    while (!stopping.signal.aborted) {
      await clock.sleep(options.heartbeatMs, stopping.signal).catch(() => undefined);
      if (stopping.signal.aborted) break;
      await heartbeat().catch((error) => log.warn({ err: toAuraError(error).message }, 'lease renewal failed; retrying'));
      // Not only the leader: with several engines, a dead Manager's containers are removable only from its engine.
      if (reaper) await reapDeadManagers(takeover, undefined, clock.now()).catch((error) => log.warn({ err: toAuraError(error).message }, 'could not reap dead Managers\' containers; retrying'));
    }
  };

  const onNotify = (payload: string) => {
    waker.wake();
    // Cancellations, skips and replans take the lease away: check now rather than at the next heartbeat.
    if (payload.startsWith('cancel:')) void heartbeat().catch(() => undefined);
  };

  return {
    async start() {
      if (loops.length) return;
      // Registered before anything is claimed, so others can tell from the start whether this Manager lives.
      await liveness.ensure();
      unlisten = await deps.store.listen(QUEUE_CHANNEL, onNotify);
      // Containers left by dead Managers (this host's process before a restart among them) go now, not at the next sweep.
      if (reaper) void reapDeadManagers(takeover, undefined, clock.now()).catch((error) => log.warn({ err: toAuraError(error).message }, 'could not reap dead Managers\' containers at start'));
      loops = [dispatchLoop(), heartbeatLoop(), leader.loop(stopping.signal)];
      log.info({ concurrency: options.concurrency, leaseMs: options.leaseMs }, 'scheduler started');
    },
    async stop(graceMs = options.stopGraceMs) {
      if (stopping.signal.aborted) return;
      stopping.abort();
      waker.wake();
      await Promise.all(loops);
      const deadline = Promise.all([...inFlight.values()].map((f) => f.done));
      if (inFlight.size && graceMs > 0) await Promise.race([deadline, new Promise((r) => setTimeout(r, graceMs).unref())]);
      const left = [...inFlight.values()];
      for (const f of left) f.lease.abort();
      await releaseLeases(deps.store, deps.events, { owner: options.owner, leases: left.map((f) => ({ taskId: f.taskId, attempt: f.attempt })), now: clock.now(), actor }).catch((error) =>
        log.warn({ err: toAuraError(error).message }, 'could not release leases; they will expire'),
      );
      // Attempts notice the lost lease at once; a hook that ignores it must not hold the shutdown forever.
      await Promise.race([Promise.all(left.map((f) => f.done)), new Promise((r) => setTimeout(r, 2_000).unref())]);
      await recorder.idle();
      await Promise.all(handingBack);
      await leader.release();
      await liveness.release();
      await unlisten?.().catch(() => undefined);
      log.info('scheduler stopped');
    },
    isLeader: () => leader.isLeader(),
    running: () => inFlight.size,
    sweep: () => leader.sweepOnce(),
    wake: () => waker.wake(),
  };
}
