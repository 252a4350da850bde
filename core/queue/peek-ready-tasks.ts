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
  /** Whether that attempt resumes one whose lease expired (its number unchanged). */
  resumes: boolean;
  triedEmployees: string[];
  approvalGranted: boolean;
  /** The run's facts; workspaceId is its team workspace (only that workspace's employees may take the task). */
  run: RunInfo & { workspace: string | null; workspaceId: string };
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
  workspace_id: string;
}

export async function peekReadyTasks(q: Queryable, options: { limit: number; exclude?: readonly string[] }): Promise<ReadySnapshot> {
  const result = await q.query<{ ready: { loads: Record<string, number> | null; tasks: CandidateJson[] | null } }>('SELECT aura.peek_ready_tasks($1, $2::text[]) AS ready', [
    options.limit,
    options.exclude ?? [],
  ]);
  const row = result.rows[0]?.ready;
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
      resumes: c.resume_attempt && c.attempt > 0,
      triedEmployees: c.tried_employees ?? [],
      approvalGranted: c.approval_granted,
      run: { id: c.run_id, title: c.run_title, budgetUsd: c.budget_usd == null ? null : Number(c.budget_usd), policySet: c.policy_set, costUsd: Number(c.run_cost), workspace: c.workspace, workspaceId: c.workspace_id },
    }),
  );
  return { candidates, loads, running };
}
