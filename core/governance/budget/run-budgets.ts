// What governance remembers of each run (title, budget, policy set), recorded when the Manager asks at plan or task time.
import type { RunInfo } from '../../manager/governance-port';
import type { Queryable } from '../../store/store';

export interface RunGovernanceInfo {
  runId: string;
  title: string;
  budgetUsd: number | null;
  policySet: string | null;
}

export async function rememberRunIn(q: Queryable, run: RunInfo, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO aura.run_governance (run_id, title, budget_usd, policy_set, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (run_id) DO UPDATE SET title = EXCLUDED.title, budget_usd = EXCLUDED.budget_usd, policy_set = EXCLUDED.policy_set, updated_at = EXCLUDED.updated_at
     WHERE (run_governance.title, run_governance.budget_usd, run_governance.policy_set) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.budget_usd, EXCLUDED.policy_set)`,
    [run.id, run.title, run.budgetUsd, run.policySet, now.toISOString()],
  );
}

export async function runInfoIn(q: Queryable, runId: string): Promise<RunGovernanceInfo | null> {
  const row = (await q.query<{ run_id: string; title: string; budget_usd: number | null; policy_set: string | null }>('SELECT * FROM aura.run_governance WHERE run_id = $1', [runId])).rows[0];
  return row ? { runId: row.run_id, title: row.title, budgetUsd: row.budget_usd === null ? null : Number(row.budget_usd), policySet: row.policy_set } : null;
}
