// One attempt's live grant inside the gateway: its usage, its refusal and the writes still on their way to the database.
import type { CallRecorder } from '../replay/call-recorder';
import type { Assignment } from '../workforce/worker';
import type { BudgetSnapshot, Spending } from './gateway-budget';
import type { GatewayRefusal, GatewayUsage } from './model-gateway';

export interface AttemptGrant {
  readonly assignment: Assignment;
  readonly hash: string;
  readonly budget: BudgetSnapshot;
  /** One recording session per attempt: its n-th repeat of a call is repeat n in the record. */
  readonly recorder: CallRecorder;
  readonly usage: GatewayUsage;
  refusal: GatewayRefusal | null;
  readonly listeners: Set<(refusal: GatewayRefusal) => void>;
  /** Calls numbered in the order they arrived (ledger keys). */
  seq: number;
  /** Ledger rows and events of finished calls, not yet committed. */
  readonly pending: Set<Promise<void>>;
  revoked: boolean;
}

export function newUsage(): GatewayUsage {
  return { calls: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, models: [] };
}

/** Sets the attempt's first refusal and tells the listeners (the worker stops the attempt); later ones are kept out. */
export function refuse(grant: AttemptGrant, refusal: GatewayRefusal): void {
  if (grant.refusal) return;
  grant.refusal = refusal;
  for (const listener of grant.listeners) {
    try {
      listener(refusal);
    } catch {
      // A listener's failure must not keep the others from hearing of the refusal.
    }
  }
}

/**
 * Spending per scope as of now: the ledger's figures from the grant's start, plus the calls of every live attempt
 * sharing the scope (their attempt rows are not written yet), plus `extra` for the call being weighed.
 */
export function spendingOf(grant: AttemptGrant, live: Iterable<AttemptGrant>, extra: number): Spending {
  const a = grant.assignment;
  const spending: Spending = { call: extra, task: grant.budget.committed.task + extra, employee: grant.budget.committed.employee + extra, run: grant.budget.committed.run + extra };
  for (const other of live) {
    const o = other.assignment;
    const cost = other.usage.costUsd;
    if (o.runId === a.runId && o.taskId === a.taskId) spending.task += cost;
    if (o.employee.id === a.employee.id) spending.employee += cost;
    if (o.runId === a.runId) spending.run += cost;
  }
  return spending;
}
