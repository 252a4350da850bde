// The quotas a new run must fit, checked by the Manager when it records the run: runs at once and the monthly budget.
import { AuraError } from '../domain/errors';
import type { Queryable } from '../store/store';
import { activeRuns, monthSpentUsd } from './workspace-usage';

/** Names "aura workspace run admission" (first key of the two-key advisory lock; the second is the workspace). */
const ADMISSION_LOCK = 730714;

/**
 * Throws when `workspaceId` is unknown (not_found), already has its `maxActiveRuns` runs not finished (conflict), or has
 * spent its monthly budget (budget_exceeded). Inside the recording transaction it takes the workspace's admission
 * lock first, so two Managers admitting runs of one workspace at once cannot both take its last slot.
 */
export async function checkRunQuotasIn(q: Queryable, workspaceId: string, now: Date, options: { lock: boolean }): Promise<void> {
  if (options.lock) await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADMISSION_LOCK, workspaceId]);
  const ws = (
    await q.query<{ max_active_runs: number | null; monthly_budget_usd: number | null }>('SELECT max_active_runs, monthly_budget_usd FROM aura.workspaces WHERE id = $1', [workspaceId])
  ).rows[0];
  if (!ws) throw new AuraError('not_found', `No workspace with id "${workspaceId}".`);
  if (ws.max_active_runs !== null) {
    const open = await activeRuns(q, workspaceId);
    if (open >= ws.max_active_runs) {
      throw new AuraError(
        'conflict',
        `Workspace "${workspaceId}" already has ${open} of its ${ws.max_active_runs} runs at once (awaiting approval, running, paused or blocked); the run was not started. Submit it again when one finishes or is cancelled, or raise the quota (aura workspaces set-quota).`,
        { details: { workspaceId, activeRuns: open, maxActiveRuns: ws.max_active_runs } },
      );
    }
  }
  if (ws.monthly_budget_usd !== null) {
    const spent = await monthSpentUsd(q, workspaceId, now);
    const limit = Number(ws.monthly_budget_usd);
    if (spent >= limit) {
      throw new AuraError(
        'budget_exceeded',
        `Workspace "${workspaceId}" has spent $${spent.toFixed(4)} this month, its monthly budget of $${limit.toFixed(4)}; the run was not started. Raise the budget (aura workspaces set-quota) or wait for next month.`,
        { details: { workspaceId, monthSpentUsd: spent, monthlyBudgetUsd: limit } },
      );
    }
  }
}
