// Replanning a run: plan the (new or same) PRD again, diff it against the current plan; a small change is
// applied at once, a change of more than 20% of the tasks (or one a policy holds) waits for the Director.
import { AuraError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { Governance } from '../manager/governance-port';
import { diffPlans, type PlanDiff, replanNeedsApproval } from '../manager/plan-diff';
import type { Planner } from '../manager/planner';
import { hashPlan } from '../manager/plan-validation';
import type { RepoFiles } from '../workspace/repo-files';
import { applyPlan } from './apply-plan';
import { actorSchema, parseInput, type ReplanInput, replanInputSchema } from './inputs';
import { finalRunStatuses } from './run-row';
import { getRun } from './run-queries';
import type { RunServiceDeps } from './run-service-deps';
import { lockOpenRun } from './run-transitions';

export interface ReplanResult {
  runId: string;
  version: number;
  planHash: string;
  diff: PlanDiff;
  needsApproval: boolean;
  /** Set when the replan waits for the Director (resolve it with tasks.resolveApproval). */
  approvalId: string | null;
  /** Whether the new plan is now the run's plan. */
  applied: boolean;
}

export async function replanRun(deps: RunServiceDeps & { planner: Planner; governance: Governance; repoFiles?: RepoFiles }, runId: string, input: ReplanInput, actor: string): Promise<ReplanResult> {
  const request = parseInput(replanInputSchema, input ?? {}, 'replan');
  const who = parseInput(actorSchema, actor, 'actor');
  const run = await getRun(deps.store, runId);
  if (finalRunStatuses.includes(run.status)) throw new AuraError('conflict', `Run ${runId} is ${run.status}; it cannot be replanned.`);
  if (run.pendingApprovals.some((a) => a.subject === 'replan')) throw new AuraError('conflict', `Run ${runId} already has a replan waiting for approval.`);
  const prd = request.prd ?? run.prd;
  const repoFiles = (await deps.repoFiles?.({ runId, repoPath: run.workspace })) ?? [];
  const planned = await deps.planner.plan({ prd, title: run.title, repoFiles });
  const plan = { ...planned.plan, title: run.title };
  const planHash = hashPlan(plan);
  const diff = diffPlans(run.plan, plan);
  const decision = await deps.governance.checkPlan(plan, { id: run.id, title: run.title, budgetUsd: run.budgetUsd, policySet: run.policySet, costUsd: run.costUsd });
  if (decision.action === 'deny') throw new AuraError('policy_denied', `The new plan was refused by policy ${decision.rule}: ${decision.reason}`, { details: { runId, rule: decision.rule } });
  const needsApproval = replanNeedsApproval(diff) || decision.action === 'require_approval';
  const version = run.planVersion + 1;
  const nothingChanged = diff.added.length + diff.removed.length + diff.changed.length === 0 && prd === run.prd;
  if (nothingChanged) return { runId, version: run.planVersion, planHash: run.planHash, diff, needsApproval: false, approvalId: null, applied: false };
  return deps.store.transaction(async (tx) => {
    await lockOpenRun(tx, runId, 'be replanned');
    const now = deps.clock.now();
    const approvalId = needsApproval ? newId('apr', now) : null;
    await deps.events.appendIn(tx, [
      {
        type: 'ReplanProposed',
        runId,
        actor: who,
        payload: { version, planHash, added: diff.added, removed: diff.removed, changed: diff.changed, changedFraction: diff.changedFraction, needsApproval, approvalId, ...(planned.costUsd > 0 ? { costUsd: planned.costUsd } : {}) },
      },
    ]);
    if (planned.costUsd > 0) await tx.query('UPDATE aura.runs SET cost_usd = cost_usd + $2 WHERE id = $1', [runId, planned.costUsd]);
    if (approvalId) {
      const reason =
        decision.action === 'require_approval'
          ? `policy ${decision.rule}: ${decision.reason}`
          : `the replan changes ${Math.round(diff.changedFraction * 100)}% of the tasks (more than 20%)`;
      await tx.query(`INSERT INTO aura.approvals (id, run_id, subject, reason, rule, proposal, requested_at) VALUES ($1, $2, 'replan', $3, $4, $5::jsonb, $6)`, [
        approvalId,
        runId,
        reason,
        decision.action === 'require_approval' ? decision.rule : null,
        JSON.stringify({ plan, planHash, planner: planned.planner, prd, version, diff }),
        now.toISOString(),
      ]);
      await deps.events.appendIn(tx, [{ type: 'ApprovalRequested', runId, actor: who, payload: { approvalId, reason, subject: 'replan' } }]);
      return { runId, version, planHash, diff, needsApproval, approvalId, applied: false };
    }
    await applyPlan(tx, deps.events, { runId, plan, planHash, planner: planned.planner, prd, version, actor: who, now });
    return { runId, version, planHash, diff, needsApproval, approvalId: null, applied: true };
  });
}
