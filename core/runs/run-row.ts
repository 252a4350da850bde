// Row and domain shapes of a run (a PRD being worked), and its statuses.
import { z } from 'zod';
import { AuraError, describeIssues } from '../domain/errors';
import { type Plan, planSchema } from '../manager/plan-schema';

export const runStatuses = ['awaiting_approval', 'running', 'paused', 'blocked', 'succeeded', 'partial', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];
/** A run in one of these never changes again. */
export const finalRunStatuses: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface RunRow {
  id: string;
  title: string;
  prd: string;
  prd_hash: string;
  budget_usd: number | null;
  policy_set: string | null;
  workspace: string | null;
  status: string;
  status_reason: string | null;
  plan: unknown;
  plan_hash: string;
  plan_version: number;
  planner: string;
  cost_usd: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  replay_of: string | null;
  workspace_id: string;
}

export const runColumns =
  'id, title, prd, prd_hash, budget_usd, policy_set, workspace, status, status_reason, plan, plan_hash, plan_version, planner, cost_usd, created_by, created_at, updated_at, finished_at, replay_of, workspace_id';

export interface RunSummary {
  id: string;
  title: string;
  status: RunStatus;
  /** Why it is paused, blocked, partial, failed or cancelled. */
  statusReason: string | null;
  prdHash: string;
  budgetUsd: number | null;
  policySet: string | null;
  workspace: string | null;
  /** The team workspace it belongs to (core/tenancy). */
  workspaceId: string;
  planHash: string;
  planVersion: number;
  planner: string;
  costUsd: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** The run this one replays (its calls are served from that run's record), or null. */
  replayOf: string | null;
}

export interface Run extends RunSummary {
  prd: string;
  plan: Plan;
}

export function toRunSummary(row: Omit<RunRow, 'prd' | 'plan'>): RunSummary {
  return {
    id: row.id,
    title: row.title,
    status: z.enum(runStatuses).parse(row.status),
    statusReason: row.status_reason,
    prdHash: row.prd_hash,
    budgetUsd: row.budget_usd == null ? null : Number(row.budget_usd),
    policySet: row.policy_set,
    workspace: row.workspace,
    workspaceId: row.workspace_id,
    planHash: row.plan_hash,
    planVersion: Number(row.plan_version),
    planner: row.planner,
    costUsd: Number(row.cost_usd),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    replayOf: row.replay_of ?? null,
  };
}

export function toRun(row: RunRow): Run {
  const plan = planSchema.safeParse(row.plan);
  if (!plan.success) throw new AuraError('internal', `Run ${row.id} has an unreadable plan: ${describeIssues(plan.error.issues)}`);
  return { ...toRunSummary(row), prd: row.prd, plan: plan.data };
}
