// The difference between two plans (added, removed, changed tasks) and the share of the plan it touches.
import { canonicalJson } from '../domain/canonical-json';
import type { Plan } from './plan-schema';

export interface PlanDiff {
  added: string[];
  removed: string[];
  changed: string[];
  /** (added + removed + changed) / tasks of the old plan. */
  changedFraction: number;
}

/** A replan above this share of changed tasks needs the Director's approval. */
export const REPLAN_APPROVAL_THRESHOLD = 0.2;

export function diffPlans(before: Plan, after: Plan): PlanDiff {
  const old = new Map(before.tasks.map((t) => [t.id, canonicalJson(t)]));
  const next = new Map(after.tasks.map((t) => [t.id, canonicalJson(t)]));
  const added = [...next.keys()].filter((id) => !old.has(id));
  const removed = [...old.keys()].filter((id) => !next.has(id));
  const changed = [...next.keys()].filter((id) => old.has(id) && old.get(id) !== next.get(id));
  const touched = added.length + removed.length + changed.length;
  return { added, removed, changed, changedFraction: touched / Math.max(before.tasks.length, 1) };
}

export function replanNeedsApproval(diff: PlanDiff): boolean {
  return diff.changedFraction > REPLAN_APPROVAL_THRESHOLD;
}
