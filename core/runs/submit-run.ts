// Submitting a PRD: plan it, ask governance about the plan, then record the run and queue its tasks in one transaction.
import { createHash } from 'node:crypto';
import { AuraError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { Governance, RunInfo } from '../manager/governance-port';
import type { ManagerMemory } from '../manager/memory-port';
import type { Planner } from '../manager/planner';
import { enqueueTasks } from '../queue/enqueue-tasks';
import { checkRunQuotasIn } from '../tenancy/run-quotas';
import { DEFAULT_WORKSPACE } from '../tenancy/workspace';
import type { RepoFiles } from '../workspace/repo-files';
import type { RunServiceDeps } from './run-service-deps';
import { type SubmitRunInput, submitRunInputSchema, parseInput } from './inputs';
import { getRun, type RunDetail } from './run-queries';

export interface SubmitDeps extends RunServiceDeps {
  planner: Planner;
  governance: Governance;
  repoFiles?: RepoFiles;
  memory?: ManagerMemory;
}

export async function submitRun(deps: SubmitDeps, input: SubmitRunInput, actor: string): Promise<RunDetail> {
  const request = parseInput(submitRunInputSchema, input, 'PRD submission');
  const workspaceId = request.workspaceId ?? DEFAULT_WORKSPACE;
  // Refused before planning costs anything; checked again, under the workspace's lock, where the run is recorded.
  await checkRunQuotasIn(deps.store, workspaceId, deps.clock.now(), { lock: false });
  const repoFiles = (await deps.repoFiles?.({ repoPath: request.workspace ?? null })) ?? [];
  // The planner reads the memory of the run's own workspace (docs/tenancy.md).
  const memory = await deps.memory?.forPlan({ prd: request.prd, title: request.title, user: actor, workspaceId });
  const planned = await deps.planner.plan({ prd: request.prd, title: request.title, repoFiles, memory: memory?.section || undefined });
  const now = deps.clock.now();
  const runId = newId('run', now);
  const title = request.title ?? planned.plan.title;
  const info: RunInfo = { id: runId, title, budgetUsd: request.budgetUsd ?? null, policySet: request.policySet ?? null, costUsd: planned.costUsd };
  const decision = await deps.governance.checkPlan(planned.plan, info);
  const status = decision.action === 'allow' ? 'running' : decision.action === 'require_approval' ? 'awaiting_approval' : 'failed';
  const reason = decision.action === 'allow' ? null : `policy ${decision.rule}: ${decision.reason}`;
  const prdHash = createHash('sha256').update(request.prd).digest('hex');
  await deps.store.transaction(async (tx) => {
    const at = now.toISOString();
    if (status !== 'failed') await checkRunQuotasIn(tx, workspaceId, now, { lock: true });
    await tx.query(
      `INSERT INTO aura.runs (id, title, prd, prd_hash, budget_usd, policy_set, workspace, status, status_reason, plan, plan_hash, plan_version, planner, cost_usd, created_by, created_at, updated_at, finished_at, workspace_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, 1, $12, $13, $14, $15, $15, $16, $17)`,
      [runId, title, request.prd, prdHash, info.budgetUsd, info.policySet, request.workspace ?? null, status, reason, JSON.stringify(planned.plan), planned.planHash, planned.planner, planned.costUsd, actor, at, status === 'failed' ? at : null, workspaceId],
    );
    await deps.events.appendIn(tx, [
      { type: 'RunStarted', runId, actor, payload: { title, prdHash, budgetUsd: info.budgetUsd, policySet: info.policySet, workspace: request.workspace ?? null, workspaceId } },
      {
        type: 'PlanGenerated',
        runId,
        actor,
        payload: { planHash: planned.planHash, planner: planned.planner, taskCount: planned.plan.tasks.length, version: 1, plan: planned.plan, notes: planned.notes.length ? planned.notes : undefined, ...(planned.costUsd > 0 ? { costUsd: planned.costUsd } : {}) },
      },
      ...(memory ? [memory.event(runId)] : []),
    ]);
    if (decision.action === 'deny') {
      await deps.events.appendIn(tx, [{ type: 'RunFailed', runId, actor, payload: { reason: reason!, costUsd: planned.costUsd } }]);
      return;
    }
    await enqueueTasks(tx, deps.events, { runId, tasks: planned.plan.tasks, actor, now });
    if (decision.action === 'require_approval') {
      const approvalId = newId('apr', now);
      await tx.query(`INSERT INTO aura.approvals (id, run_id, subject, reason, rule, requested_at) VALUES ($1, $2, 'plan', $3, $4, $5)`, [approvalId, runId, decision.reason, decision.rule, at]);
      await deps.events.appendIn(tx, [{ type: 'ApprovalRequested', runId, actor, payload: { approvalId, reason: reason!, subject: 'plan' } }]);
    }
  });
  if (decision.action === 'deny') {
    throw new AuraError('policy_denied', `The plan was refused by policy ${decision.rule}: ${decision.reason}`, { details: { runId, rule: decision.rule } });
  }
  return getRun(deps.store, runId);
}
