// One dispatch round: read the next ready tasks, choose an employee for each (eligibility, governance ranking,
// room, not the one that failed it), ask governance before assigning, then claim them in one transaction.
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import { type ClaimedTask, type ClaimRequest, claimTasks } from '../queue/claim-tasks';
import { holdForApproval, type ParkRequest, refuseTasks } from '../queue/park-tasks';
import { peekReadyTasks, type ReadyCandidate } from '../queue/peek-ready-tasks';
import type { Store } from '../store/store';
import type { Employee } from '../workforce/employee';
import type { EmployeePool } from './employee-pool';
import { chooseEmployee } from './employee-selection';
import type { Governance } from './governance-port';

export interface DispatchRound {
  claimed: Array<{ task: ClaimedTask; employee: Employee; run: ReadyCandidate['run'] }>;
  /** Ready tasks seen this round (claimed or not). */
  seen: number;
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
}

export interface Dispatcher {
  dispatch(free: number): Promise<DispatchRound>;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  // Tasks no employee can do are left aside until the workforce changes; tasks whose check failed, for a while.
  const aside = new Map<string, { version: number; until: number }>();

  const asideIds = (): string[] => {
    const version = deps.pool.version();
    const now = deps.clock.now().getTime();
    for (const [id, a] of aside) if (a.version !== version || a.until <= now) aside.delete(id);
    return [...aside.keys()];
  };

  return {
    async dispatch(free) {
      await deps.pool.refresh();
      const want = Math.max(0, Math.min(free, deps.claimBatchSize));
      if (want === 0) return { claimed: [], seen: 0 };
      const snapshot = await peekReadyTasks(deps.store, { limit: Math.min(want * 2 + 8, 200), exclude: asideIds() });
      const load = new Map(snapshot.loads);
      const requests: ClaimRequest[] = [];
      const chosen = new Map<string, { employee: Employee; candidate: ReadyCandidate }>();
      const holds: ParkRequest[] = [];
      const refusals: ParkRequest[] = [];
      for (const candidate of snapshot.candidates) {
        if (requests.length >= want || snapshot.running + requests.length >= deps.cap) break;
        const eligible = deps.pool.eligible(candidate.spec);
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
          requests.push({ taskId: candidate.id, employeeId: employee.id, employeeLimit: employee.profile.maxConcurrent });
          chosen.set(candidate.id, { employee, candidate });
          load.set(employee.id, (load.get(employee.id) ?? 0) + 1);
        } catch (error) {
          deps.logger.warn({ taskId: candidate.id, err: toAuraError(error).message }, 'governance check failed; the task waits');
          aside.set(candidate.id, { version: deps.pool.version(), until: deps.clock.now().getTime() + deps.retryAsideMs });
        }
      }
      const now = deps.clock.now();
      if (holds.length) await holdForApproval(deps.store, deps.events, { requests: holds, now, actor: deps.actor });
      if (refusals.length) await refuseTasks(deps.store, deps.events, { requests: refusals, now, actor: deps.actor });
      if (requests.length === 0) return { claimed: [], seen: snapshot.candidates.length };
      const claimed = await deps.store.transaction((tx) => claimTasks(tx, deps.events, { owner: deps.owner, now, leaseMs: deps.leaseMs, cap: deps.cap, requests, actor: deps.actor }));
      return {
        claimed: claimed.map((task) => ({ task, employee: chosen.get(task.id)!.employee, run: chosen.get(task.id)!.candidate.run })),
        seen: snapshot.candidates.length,
      };
    },
  };
}
