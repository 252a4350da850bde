// Starting a replay: a new run linked to the original, with the original's plan (from its PlanGenerated event),
// on the original's repository from the original's base commit; its calls are then served from the original's record.
import { z } from 'zod';
import { AuraError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { StoredEvent } from '../events/stored-event';
import { type Plan, planSchema } from '../manager/plan-schema';
import { hashPlan } from '../manager/plan-validation';
import { enqueueTasks } from '../queue/enqueue-tasks';
import { parseInput, runIdSchema } from '../runs/inputs';
import { getRun, type RunDetail } from '../runs/run-queries';
import type { RunServiceDeps } from '../runs/run-service-deps';
import { checkRunQuotasIn } from '../tenancy/run-quotas';
import type { Workspace } from '../workspace/workspace';

export const replayRunInputSchema = z.strictObject({
  runId: runIdSchema,
  /** Replay only as far as this event of the original (its seq): the tasks the original had started by then. */
  until: z.number().int().positive().optional(),
});
export type ReplayRunInput = z.input<typeof replayRunInputSchema>;

export interface ReplayDeps extends RunServiceDeps {
  /** The runs' repositories: a replay starts where its original started. Without it, runs have no repository. */
  workspace?: Workspace;
}

interface OriginalRow {
  id: string;
  title: string;
  prd: string;
  prd_hash: string;
  budget_usd: number | null;
  policy_set: string | null;
  workspace: string | null;
  replay_of: string | null;
  workspace_id: string;
}

/** The original's first plan and, with `until`, only the tasks it had started (or asked approval for) by then. */
async function plannedReplay(deps: ReplayDeps, original: OriginalRow, until: number | undefined): Promise<Plan> {
  const read = async (types: Array<StoredEvent['type']>) => {
    const out: StoredEvent[] = [];
    for (let afterId = 0; ; ) {
      const page = await deps.events.query({ stream: original.id, types, afterId, limit: 1000 });
      out.push(...page);
      if (page.length < 1000) return out;
      afterId = page.at(-1)!.id;
    }
  };
  const [first] = await deps.events.query({ stream: original.id, types: ['PlanGenerated'], limit: 1 });
  if (!first) throw new AuraError('conflict', `Run ${original.id} has no PlanGenerated event: there is no plan to replay.`);
  const parsed = planSchema.safeParse((first as StoredEvent<'PlanGenerated'>).payload.plan);
  if (!parsed.success) throw new AuraError('tampered', `The plan recorded for run ${original.id} is not a plan: ${parsed.error.issues[0]?.message}`);
  if (until === undefined) return parsed.data;
  const head = (await deps.store.query<{ seq: number }>('SELECT seq FROM aura.event_heads WHERE stream = $1', [original.id])).rows[0];
  if (!head || until > Number(head.seq)) throw new AuraError('invalid_input', `Run ${original.id} has ${head ? Number(head.seq) : 0} events; until ${until} is past its last.`);
  const started = await read(['TaskQueued', 'TaskAssigned', 'ApprovalRequested']);
  const keyOf = new Map(started.filter((e) => e.type === 'TaskQueued').map((e) => [e.taskId, (e as StoredEvent<'TaskQueued'>).payload.key]));
  const keys = new Set(started.filter((e) => e.type !== 'TaskQueued' && e.seq <= until && e.taskId).map((e) => keyOf.get(e.taskId)!));
  // A task starts only once its dependencies are done, so the tasks started by then are closed under dependencies.
  const tasks = parsed.data.tasks.filter((t) => keys.has(t.id));
  if (tasks.length === 0) throw new AuraError('invalid_input', `Run ${original.id} had started no task by event ${until}: nothing to replay.`);
  return { ...parsed.data, tasks };
}

export async function startReplay(deps: ReplayDeps, input: ReplayRunInput, actor: string): Promise<RunDetail> {
  const request = parseInput(replayRunInputSchema, input, 'replay request');
  const original = (
    await deps.store.query<OriginalRow>('SELECT id, title, prd, prd_hash, budget_usd, policy_set, workspace, replay_of, workspace_id FROM aura.runs WHERE id = $1', [request.runId])
  ).rows[0];
  if (!original) throw new AuraError('not_found', `No run with id "${request.runId}".`);
  // A replay's calls were served, not recorded: replaying it again replays the run that made the record.
  const recordOf = original.replay_of ?? original.id;
  const plan = await plannedReplay(deps, original, request.until);
  const planHash = hashPlan(plan);
  const now = deps.clock.now();
  const runId = newId('run', now);
  if (deps.workspace) {
    const from = await deps.workspace.getRun(original.id);
    if (from) await deps.workspace.openRun(runId, { repoPath: from.repoPath, baseRef: from.baseCommit });
  }
  const title = `Replay of ${original.title}`.slice(0, 300);
  await deps.store.transaction(async (tx) => {
    const at = now.toISOString();
    // A replay is a run of the original's workspace, within its quotas.
    await checkRunQuotasIn(tx, original.workspace_id, now, { lock: true });
    await tx.query(
      `INSERT INTO aura.runs (id, title, prd, prd_hash, budget_usd, policy_set, workspace, status, status_reason, plan, plan_hash, plan_version, planner, cost_usd, created_by, created_at, updated_at, finished_at, replay_of, replay_until, workspace_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', NULL, $8::jsonb, $9, 1, $10, 0, $11, $12, $12, NULL, $13, $14, $15)`,
      [runId, title, original.prd, original.prd_hash, original.budget_usd, original.policy_set, original.workspace, JSON.stringify(plan), planHash, `replay:${original.id}`, actor, at, recordOf, request.until ?? null, original.workspace_id],
    );
    await deps.events.appendIn(tx, [
      { type: 'RunStarted', runId, actor, payload: { title, prdHash: original.prd_hash, budgetUsd: original.budget_usd, policySet: original.policy_set, workspace: original.workspace, workspaceId: original.workspace_id } },
      { type: 'PlanGenerated', runId, actor, payload: { planHash, planner: `replay:${original.id}`, taskCount: plan.tasks.length, version: 1, plan } },
      { type: 'RunReplayStarted', runId, actor, payload: { originalRunId: original.id, until: request.until ?? null, planHash, planVersion: 1, tasks: plan.tasks.length } },
    ]);
    await enqueueTasks(tx, deps.events, { runId, tasks: plan.tasks, actor, now });
  });
  deps.logger.info({ runId, originalRunId: original.id, until: request.until ?? null, tasks: plan.tasks.length }, 'replay started');
  return getRun(deps.store, runId);
}
