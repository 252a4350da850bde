// The budget inside an attempt: the limits and spending read once at grant time, then each call checked in memory by policy.
import type { BudgetCaps } from '../governance/budget/budget-caps';
import type { CostLedger } from '../governance/budget/cost-ledger';
import { runInfoIn } from '../governance/budget/run-budgets';
import type { CompiledPolicySet } from '../governance/policy/policy-compile';
import type { CostFigures } from '../governance/policy/policy-context';
import { matchAll } from '../governance/policy/policy-evaluate';
import type { PolicyStore } from '../governance/policy/policy-store';
import type { Queryable } from '../store/store';
import type { Assignment } from '../workforce/worker';
import type { GatewayRefusal } from './model-gateway';

type Scope = 'call' | 'task' | 'employee' | 'run';
const scopes: readonly Scope[] = ['call', 'task', 'employee', 'run'];

export interface BudgetSnapshot {
  set: CompiledPolicySet;
  limits: Record<Scope, number | null>;
  /** What the ledger held when the attempt began (attempt rows; this attempt's calls are not in it yet). */
  committed: Record<Exclude<Scope, 'call'>, number>;
}

/** What is spent per scope now: the committed figures plus every live attempt's calls in that scope, plus `call`. */
export type Spending = Record<Scope, number>;

export async function loadBudgetSnapshot(q: Queryable, deps: { ledger: CostLedger; caps: BudgetCaps; policies: PolicyStore }, a: Assignment): Promise<BudgetSnapshot> {
  const run = await runInfoIn(q, a.runId);
  const policy = await deps.policies.inForce(run?.policySet ?? null, q).catch(() => deps.policies.inForce(null, q));
  const [call, task, employee, taskSpent, employeeSpent, runSpent] = await Promise.all([
    deps.caps.get(q, 'call'),
    deps.caps.get(q, 'task'),
    deps.caps.get(q, `employee:${a.employee.id}`),
    deps.ledger.taskTotal(q, a.runId, a.taskId),
    deps.ledger.employeeTotal(q, a.employee.id),
    deps.ledger.runTotal(q, a.runId),
  ]);
  return { set: policy.set, limits: { call, task, employee, run: run?.budgetUsd ?? null }, committed: { task: taskSpent, employee: employeeSpent, run: runSpent } };
}

/**
 * The refusal the policy in force gives at this spending, or null. As at the attempt's end (budget-check.ts), a rule
 * counts only when this attempt's calls made it match (a crossing): a run the Director let go on over budget is not
 * stopped again by every call. `deny` and `require_approval` both stop the attempt; `notify` does not.
 */
export function budgetRefusal(snapshot: BudgetSnapshot, spending: Spending, when: 'before' | 'after'): GatewayRefusal | null {
  for (const scope of scopes) {
    const limitUsd = snapshot.limits[scope];
    const figures: CostFigures = { scope, spentUsd: spending[scope], limitUsd };
    const before = new Set(matchAll(snapshot.set, { checkpoint: 'cost', cost: { ...figures, spentUsd: scope === 'call' ? 0 : snapshot.committed[scope] } }).map((m) => m.rule));
    const halting = matchAll(snapshot.set, { checkpoint: 'cost', cost: figures }).find((m) => (m.action === 'deny' || m.action === 'require_approval') && !before.has(m.rule));
    if (!halting) continue;
    const what = { call: 'a single call', task: "the task's", employee: "the employee's", run: "the run's" }[scope];
    const limit = limitUsd === null ? 'its limit' : `$${limitUsd.toFixed(4)}`;
    const spent = `$${spending[scope].toFixed(4)}`;
    const message =
      when === 'before'
        ? `Aura gateway refused this call: it would take ${scope === 'call' ? 'a single call' : `${what} spending`} to ${spent}, over ${limit} (policy rule "${halting.rule}": ${halting.reason}). The attempt ends as over budget; do not retry.`
        : `Aura gateway: ${scope === 'call' ? 'the last call' : `${what} spending`} reached ${spent}, over ${limit} (policy rule "${halting.rule}": ${halting.reason}). The attempt ends as over budget.`;
    return { reason: scope === 'call' ? 'call_cap' : 'budget_exceeded', message };
  }
  return null;
}
