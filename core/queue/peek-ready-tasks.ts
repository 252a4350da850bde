// Reads (without locking) the next ready tasks of running runs and every employee's running load, in one
// round trip: the scheduler chooses employees from this, then claims with claim-tasks (which re-checks).
import type { RunInfo } from '../manager/governance-port';
import { type PlanTask, planTaskSchema } from '../manager/plan-schema';
import type { Queryable } from '../store/store';

export interface ReadyCandidate {
  id: string;
  runId: string;
  key: string;
  seq: number;
  spec: PlanTask;
  /** The attempt about to start (resumed attempts keep their number). */
  nextAttempt: number;
  triedEmployees: string[];
  approvalGranted: boolean;
  run: RunInfo & { workspace: string | null };
}

export interface ReadySnapshot {
  candidates: ReadyCandidate[];
  /** Running tasks per employee id, across every Manager process. */
  loads: Map<string, number>;
  /** Running tasks in all. */
  running: number;
}

interface CandidateJson {
  id: string;
  run_id: string;
  key: string;
  seq: number;
  spec: unknown;
  attempt: number;
  resume_attempt: boolean;
  tried_employees: string[];
  approval_granted: boolean;
  run_title: string;
  budget_usd: number | null;
  policy_set: string | null;
  run_cost: number;
  workspace: string | null;
}

export async function peekReadyTasks(q: Queryable, options: { limit: number; exclude?: readonly string[] }): Promise<ReadySnapshot> {
  const result = await q.query<{ loads: Record<string, number> | null; tasks: CandidateJson[] | null }>(
    `SELECT (SELECT jsonb_object_agg(l.employee_id, l.n) FROM (
               SELECT employee_id, count(*) AS n FROM aura.tasks WHERE status = 'running' AND employee_id IS NOT NULL GROUP BY employee_id) l) AS loads,
            (SELECT jsonb_agg(c ORDER BY c.seq) FROM (
               SELECT t.id, t.run_id, t.key, t.seq, t.spec, t.attempt, t.resume_attempt, t.tried_employees, t.approval_granted,
                      r.title AS run_title, r.budget_usd, r.policy_set, r.cost_usd AS run_cost, r.workspace
                 FROM aura.tasks t JOIN aura.runs r ON r.id = t.run_id
                WHERE t.status = 'ready' AND r.status = 'running' AND NOT (t.id = ANY ($2::text[]))
                ORDER BY t.seq LIMIT $1) c) AS tasks`,
    [options.limit, options.exclude ?? []],
  );
  const row = result.rows[0];
  const loads = new Map(Object.entries(row?.loads ?? {}).map(([k, v]) => [k, Number(v)]));
  let running = 0;
  for (const n of loads.values()) running += n;
  const candidates = (row?.tasks ?? []).map(
    (c): ReadyCandidate => ({
      id: c.id,
      runId: c.run_id,
      key: c.key,
      seq: Number(c.seq),
      spec: planTaskSchema.parse(c.spec),
      nextAttempt: c.resume_attempt && c.attempt > 0 ? c.attempt : c.attempt + 1,
      triedEmployees: c.tried_employees ?? [],
      approvalGranted: c.approval_granted,
      run: { id: c.run_id, title: c.run_title, budgetUsd: c.budget_usd == null ? null : Number(c.budget_usd), policySet: c.policy_set, costUsd: Number(c.run_cost), workspace: c.workspace },
    }),
  );
  return { candidates, loads, running };
}
