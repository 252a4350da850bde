// The Planner: a PRD becomes a validated, hashed plan — by the model planner when one is configured,
// otherwise (or when the model gives up) by the structural planner.
import type { Logger } from '../observability/logger';
import type { ModelProvider } from '../workforce/model-provider';
import { planWithModel } from './model-planner';
import type { Plan } from './plan-schema';
import { hashPlan } from './plan-validation';
import { inferPlanScopes } from './scope-inference';
import { planFromMarkdown } from './structural-planner';

export interface PlanRequest {
  prd: string;
  title?: string;
  signal?: AbortSignal;
  /** The run repository's tracked files, from which tasks without a declared scope get one (none: a new repository). */
  repoFiles?: readonly string[];
  /** What the Manager chose from memory for this PRD (a Markdown section); the model planner reads it. */
  memory?: string;
}

export interface PlannedPrd {
  plan: Plan;
  planHash: string;
  /** "structural", "model:<provider>/<model>", or "structural (fallback: …)". */
  planner: string;
  costUsd: number;
  notes: string[];
}

export interface Planner {
  plan(request: PlanRequest): Promise<PlannedPrd>;
}

export interface PlannerOptions {
  model?: ModelProvider;
  /** Retries after an invalid answer, the error fed back each time (default 2). */
  maxRetries?: number;
  logger?: Logger;
}

export function createPlanner(options: PlannerOptions = {}): Planner {
  return {
    async plan(request) {
      const planned = await planOnce(options, request);
      const scoped = inferPlanScopes(planned.plan, request.repoFiles ?? []);
      return { ...planned, plan: scoped.plan, planHash: hashPlan(scoped.plan), notes: [...planned.notes, ...scoped.notes] };
    },
  };
}

/** The plan as the model (or the structural planner) reads the PRD, before scopes are filled in. */
async function planOnce(options: PlannerOptions, { prd, title, signal, memory }: PlanRequest): Promise<PlannedPrd> {
  if (options.model) {
    const outcome = await planWithModel(options.model, prd, { title, maxRetries: options.maxRetries ?? 2, signal, memory });
    if (outcome.plan) {
      const plan = title ? { ...outcome.plan, title } : outcome.plan;
      return { plan, planHash: hashPlan(plan), planner: `model:${options.model.provider}/${options.model.model}`, costUsd: outcome.costUsd, notes: [] };
    }
    options.logger?.warn({ attempts: outcome.attempts.length, failure: outcome.failure }, 'model planner gave up; falling back to the structural planner');
    // A PRD the structural planner cannot read either fails with its own list of problems.
    const fallback = planFromMarkdown(prd, { title });
    return {
      plan: fallback.plan,
      planHash: hashPlan(fallback.plan),
      planner: `structural (fallback: ${outcome.failure ?? 'model planner failed'})`.slice(0, 500),
      costUsd: outcome.costUsd,
      notes: fallback.notes,
    };
  }
  const structural = planFromMarkdown(prd, { title });
  return { plan: structural.plan, planHash: hashPlan(structural.plan), planner: 'structural', costUsd: 0, notes: structural.notes };
}
