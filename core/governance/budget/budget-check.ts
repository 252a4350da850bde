// The cost checkpoint: after an attempt's cost is in the ledger, which limits it crossed and what the policy says to do.
import type { Queryable } from '../../store/store';
import type { CompiledPolicySet } from '../policy/policy-compile';
import type { CostFigures } from '../policy/policy-context';
import { matchAll } from '../policy/policy-evaluate';
import type { BudgetCaps } from './budget-caps';
import type { CostLedger } from './cost-ledger';

export type BreachAction = 'halt' | 'notify' | 'require_approval';

export interface CostBreach {
  scope: string;
  limitUsd: number;
  spentUsd: number;
  action: BreachAction;
  rule: string;
  reason: string;
}

const actionOf = { deny: 'halt', require_approval: 'require_approval', notify: 'notify' } as const;

export interface RunBudget {
  runId: string;
  budgetUsd: number | null;
}

/**
 * Evaluates the cost checkpoint per scope (the attempt's dearest call, task, employee, run) with the spending after this attempt and before
 * it; a rule counts only when this attempt made it match (a crossing), so a limit is reported once, not after
 * every later attempt.
 */
export async function checkBudgetsIn(
  tx: Queryable,
  deps: { ledger: CostLedger; caps: BudgetCaps },
  set: CompiledPolicySet,
  input: { run: RunBudget; taskId: string; employeeId: string; attempt: number; attemptUsd: number; maxCallUsd: number },
): Promise<CostBreach[]> {
  const { ledger, caps } = deps;
  // `before` is what was spent before this attempt: everything but the attempt's own cost (a call is new altogether).
  const scopes: Array<{ label: string; figures: CostFigures; before?: number }> = [
    { label: `call:${input.run.runId}/${input.taskId}#${input.attempt}`, figures: { scope: 'call', spentUsd: input.maxCallUsd, limitUsd: await caps.get(tx, 'call') }, before: 0 },
    { label: `task:${input.run.runId}/${input.taskId}`, figures: { scope: 'task', spentUsd: await ledger.taskTotal(tx, input.run.runId, input.taskId), limitUsd: await caps.get(tx, 'task') } },
    { label: `employee:${input.employeeId}`, figures: { scope: 'employee', spentUsd: await ledger.employeeTotal(tx, input.employeeId), limitUsd: await caps.get(tx, `employee:${input.employeeId}`) } },
    { label: `run:${input.run.runId}`, figures: { scope: 'run', spentUsd: await ledger.runTotal(tx, input.run.runId), limitUsd: input.run.budgetUsd } },
  ];
  const breaches: CostBreach[] = [];
  for (const { label, figures, before: spentBefore } of scopes) {
    const previously = spentBefore ?? Math.max(0, figures.spentUsd - input.attemptUsd);
    const before = new Set(matchAll(set, { checkpoint: 'cost', cost: { ...figures, spentUsd: previously } }).map((m) => m.rule));
    for (const match of matchAll(set, { checkpoint: 'cost', cost: figures })) {
      if (match.action === 'allow' || before.has(match.rule)) continue;
      breaches.push({ scope: label, limitUsd: figures.limitUsd ?? 0, spentUsd: figures.spentUsd, action: actionOf[match.action], rule: match.rule, reason: match.reason });
    }
  }
  return breaches;
}
