// Choosing and claiming work: read the next ready tasks, choose an employee for each (eligibility, governance
// ranking, room, not the one that failed it), ask governance before assigning, then claim in a transaction —
// alone (dispatch) or inside an outcome's transaction (the recorder claims as it frees slots).
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import { type ClaimedTask, type ClaimInput, type ClaimPrediction, type ClaimRequest, claimAndAppend, claimTasks } from '../queue/claim-tasks';
import { holdForApproval, type ParkRequest, refuseTasks } from '../queue/park-tasks';
import { peekReadyTasks, type ReadyCandidate } from '../queue/peek-ready-tasks';
import type { NewEvent } from '../events/event-log';
import type { Queryable, Store } from '../store/store';
import type { Employee } from '../workforce/employee';
import type { EmployeePool } from './employee-pool';
import { chooseEmployee } from './employee-selection';
import type { Governance } from './governance-port';

/** A ready task with its employee chosen and governance's go-ahead, not yet claimed. */
export interface PreparedClaim {
  request: ClaimRequest;
  employee: Employee;
  candidate: ReadyCandidate;
}

export interface ClaimedWork {
  task: ClaimedTask;
  employee: Employee;
  run: ReadyCandidate['run'];
}

export interface DispatcherDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  logger: Logger;
  governance: Governance;
  pool: EmployeePool;
  owner: string;
  actor: string;
  /** Running tasks allowed at once on this database (the model-container cap). */
  cap: number;
  leaseMs: number;
  /** Tasks claimed per transaction at most. */
  claimBatchSize: number;
  /** How long a task whose governance check threw is left aside. */
  retryAsideMs: number;
  /** How long prepared claims a round did not use stay usable (saves a read per round on a busy queue). */
  preparedTtlMs: number;
}

export interface Dispatcher {
  /**
   * Up to `want` prepared claims, from the last read when still fresh, else from a new one. `releasing`: the
   * employees of attempts about to be recorded in the same transaction (their slots count as free).
   */
  prepare(want: number, releasing?: readonly string[]): Promise<PreparedClaim[]>;
  /** Claims prepared work in the caller's transaction; the caller appends the events. */
  claim(tx: Queryable, prepared: readonly PreparedClaim[]): Promise<{ claimed: ClaimedWork[]; events: NewEvent[] }>;
  /** The claim of prepared work as its candidates say it goes (the attempt, resumed or not): what a one-statement path needs. */
  claimInput(prepared: readonly PreparedClaim[]): { input: ClaimInput; predictions: ClaimPrediction[] };
  /** Claimed rows back to the work they are (the employee and run each was prepared with). */
  toWork(prepared: readonly PreparedClaim[], claimed: readonly ClaimedTask[]): ClaimedWork[];
  /** prepare + claim in a transaction of its own. */
  dispatch(free: number): Promise<ClaimedWork[]>;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  // Tasks no employee can do are left aside until the workforce changes; tasks whose check failed, for a while.
  const aside = new Map<string, { version: number; until: number }>();
  let spare: { at: number; version: number; items: PreparedClaim[] } = { at: 0, version: -1, items: [] };

  const asideIds = (): string[] => {
    const version = deps.pool.version();
    const now = deps.clock.now().getTime();
    for (const [id, a] of aside) if (a.version !== version || a.until <= now) aside.delete(id);
    return [...aside.keys()];
  };

  /** Reads ready tasks and prepares up to `limit` of them; governance's holds and refusals are applied here. */
  const prepareFresh = async (limit: number, taken: ReadonlySet<string>, releasing: readonly string[]): Promise<PreparedClaim[]> => {
    const snapshot = await peekReadyTasks(deps.store, { limit: Math.min(limit + 4, 200), exclude: [...asideIds(), ...taken] });
    const load = new Map(snapshot.loads);
    for (const id of releasing) load.set(id, Math.max(0, (load.get(id) ?? 0) - 1));
    const prepared: PreparedClaim[] = [];
    const holds: ParkRequest[] = [];
    const refusals: ParkRequest[] = [];
    for (const candidate of snapshot.candidates) {
      if (prepared.length >= limit) break;
      // Only employees of the run's team workspace (the claim checks it again).
      const eligible = deps.pool.eligible(candidate.spec).filter((e) => e.workspaceId === candidate.run.workspaceId);
      if (eligible.length === 0) {
        aside.set(candidate.id, { version: deps.pool.version(), until: Infinity });
        continue;
      }
      try {
        const ids = new Set(eligible.map((e) => e.id));
        const ranked = (await deps.governance.rankEmployees(candidate.spec, eligible)).filter((e) => ids.has(e.id));
        const employee = chooseEmployee({ ranked: ranked.length ? ranked : eligible, load, tried: candidate.triedEmployees });
        if (!employee) continue;
        const decision = await deps.governance.beforeTask(candidate.spec, employee, candidate.run);
        if (decision.action === 'deny') {
          refusals.push({ taskId: candidate.id, runId: candidate.runId, rule: decision.rule, reason: decision.reason });
          continue;
        }
        if (decision.action === 'require_approval' && !candidate.approvalGranted) {
          holds.push({ taskId: candidate.id, runId: candidate.runId, rule: decision.rule, reason: decision.reason });
          continue;
        }
        prepared.push({ request: { taskId: candidate.id, employeeId: employee.id, employeeLimit: employee.profile.maxConcurrent }, employee, candidate });
        load.set(employee.id, (load.get(employee.id) ?? 0) + 1);
      } catch (error) {
        deps.logger.warn({ taskId: candidate.id, err: toAuraError(error).message }, 'governance check failed; the task waits');
        aside.set(candidate.id, { version: deps.pool.version(), until: deps.clock.now().getTime() + deps.retryAsideMs });
      }
    }
    const now = deps.clock.now();
    if (holds.length) await holdForApproval(deps.store, deps.events, { requests: holds, now, actor: deps.actor });
    if (refusals.length) await refuseTasks(deps.store, deps.events, { requests: refusals, now, actor: deps.actor });
    return prepared;
  };

  const prepare = async (want: number, releasing: readonly string[] = []): Promise<PreparedClaim[]> => {
    if (want <= 0) return [];
    await deps.pool.refresh();
    const now = deps.clock.now().getTime();
    const fresh = spare.version === deps.pool.version() && now - spare.at <= deps.preparedTtlMs;
    const out = fresh ? spare.items.splice(0, want) : [];
    if (!fresh) spare = { at: 0, version: -1, items: [] };
    if (out.length < want) {
      const taken = new Set([...out, ...spare.items].map((p) => p.request.taskId));
      // Prepared a little ahead (at least 16): an unbatched or busy dispatcher then claims without reading first.
      const more = await prepareFresh(Math.max(want - out.length, deps.claimBatchSize, 16), taken, releasing);
      out.push(...more.splice(0, want - out.length));
      spare = { at: deps.clock.now().getTime(), version: deps.pool.version(), items: more };
    }
    return out;
  };

  const claimInput = (prepared: readonly PreparedClaim[]) => ({
    input: { owner: deps.owner, now: deps.clock.now(), leaseMs: deps.leaseMs, cap: deps.cap, requests: prepared.map((p) => p.request), actor: deps.actor },
    predictions: prepared.map((p) => ({ runId: p.candidate.runId, attempt: p.candidate.nextAttempt, resumed: p.candidate.resumes })),
  });

  const toWork = (prepared: readonly PreparedClaim[], claimed: readonly ClaimedTask[]): ClaimedWork[] => {
    const byId = new Map(prepared.map((p) => [p.request.taskId, p]));
    return claimed.map((task) => ({ task, employee: byId.get(task.id)!.employee, run: byId.get(task.id)!.candidate.run }));
  };

  const claim = async (tx: Queryable, prepared: readonly PreparedClaim[]) => {
    if (prepared.length === 0) return { claimed: [], events: [] };
    const result = await claimTasks(tx, claimInput(prepared).input);
    return { claimed: toWork(prepared, result.claimed), events: result.events };
  };

  return {
    prepare,
    claim,
    claimInput,
    toWork,
    async dispatch(free) {
      const prepared = await prepare(Math.min(free, deps.claimBatchSize));
      if (prepared.length === 0) return [];
      // One statement when the runs' chain heads are known here and the claim goes as prepared; else a transaction.
      const { input, predictions } = claimInput(prepared);
      const fast = await claimAndAppend(deps.store, deps.events, input, predictions);
      if (fast) return toWork(prepared, fast);
      return deps.store.transaction(async (tx) => {
        const { claimed, events } = await claim(tx, prepared);
        await deps.events.appendIn(tx, events);
        return claimed;
      });
    },
  };
}
