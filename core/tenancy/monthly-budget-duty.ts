// The leader's duty that says why a workspace's work stopped: once its month's spending reaches its monthly budget, its
// running runs are paused with that reason (the claim already starts no new attempt of it; see migration 140).
import { AuraError } from '../domain/errors';
import type { LeaderDuty } from '../manager/duties/leader-duty';
import { pauseRun } from '../runs/run-control';
import type { RunServiceDeps } from '../runs/run-service-deps';
import { monthStartOf } from './workspace-usage';

export function monthlyBudgetDuty(deps: RunServiceDeps & { actor: string }): LeaderDuty {
  return {
    name: 'pause the runs of workspaces over their monthly budget',
    async run(now) {
      const over = await deps.store.query<{ id: string; budget: number; spent: number }>(
        `SELECT w.id, w.monthly_budget_usd AS budget, s.spent
           FROM aura.workspaces w
           CROSS JOIN LATERAL (SELECT coalesce(sum(l.cost_usd), 0) AS spent FROM aura.cost_ledger l
                                WHERE l.workspace_id = w.id AND l.source <> 'call' AND l.occurred_at >= $1) s
          WHERE w.monthly_budget_usd IS NOT NULL AND s.spent >= w.monthly_budget_usd
            AND EXISTS (SELECT 1 FROM aura.runs r WHERE r.workspace_id = w.id AND r.status = 'running')`,
        [monthStartOf(now).toISOString()],
      );
      for (const w of over.rows) {
        const reason = `Workspace "${w.id}" has spent $${Number(w.spent).toFixed(4)} this month, its monthly budget of $${Number(w.budget).toFixed(4)}: no new attempt starts until the budget is raised (aura workspaces set-quota) or the month ends.`;
        const runs = await deps.store.query<{ id: string }>(`SELECT id FROM aura.runs WHERE workspace_id = $1 AND status = 'running' ORDER BY id`, [w.id]);
        for (const run of runs.rows) {
          // A run that settled or was paused meanwhile is left as it is.
          await pauseRun(deps, run.id, reason, deps.actor).catch((error: unknown) => {
            if (!AuraError.is(error, 'conflict')) throw error;
          });
        }
      }
    },
  };
}
