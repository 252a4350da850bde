// A run's plan versions (each PlanGenerated, and replans still waiting for the Director or rejected) and two of them
// side by side: task by task, added, removed, changed (naming the fields) or the same.
import { z } from 'zod';
import { canonicalJson } from '../domain/canonical-json';
import { AuraError } from '../domain/errors';
import type { Plan, PlanTask } from '../manager/plan-schema';
import type { Queryable } from '../store/store';
import { parseInput, runIdSchema } from './inputs';

export const planDiffInputSchema = z.strictObject({
  runId: runIdSchema,
  /** The version compared from; default: the one before `to`. */
  from: z.number().int().positive().optional(),
  /** The version compared to; default: the newest (a replan waiting for approval included). */
  to: z.number().int().positive().optional(),
});
export type PlanDiffInput = z.input<typeof planDiffInputSchema>;

export interface PlanVersion {
  version: number;
  planHash: string;
  planner: string | null;
  /** applied: it was (or is) the plan in force; proposed: a replan waiting for approval; rejected: one refused. */
  state: 'applied' | 'proposed' | 'rejected';
  /** The seq of its PlanGenerated (applied) or ReplanProposed event in the run's stream. */
  seq: number;
  occurredAt: Date;
  actor: string;
  approvalId: string | null;
  taskCount: number;
}

export interface PlanDiffRow {
  key: string;
  change: 'added' | 'removed' | 'changed' | 'same';
  /** The fields that differ (title, kind, description, acceptance, scope, dependsOn, …); empty unless changed. */
  fields: string[];
  before: PlanTask | null;
  after: PlanTask | null;
}

export interface PlanComparison {
  runId: string;
  versions: PlanVersion[];
  from: number | null;
  to: number;
  rows: PlanDiffRow[];
  summary: { added: number; removed: number; changed: number; same: number };
}

interface Recorded extends PlanVersion {
  plan: Plan;
}

/** Task by task, in the order of the newer plan, removed tasks after the task that preceded them in the older one. */
export function comparePlans(before: Plan | null, after: Plan): PlanDiffRow[] {
  const old = new Map((before?.tasks ?? []).map((t) => [t.id, t]));
  const next = new Map(after.tasks.map((t) => [t.id, t]));
  const rows: PlanDiffRow[] = [];
  const removedAfter = new Map<string | null, PlanTask[]>();
  let previous: string | null = null;
  for (const t of before?.tasks ?? []) {
    if (!next.has(t.id)) removedAfter.set(previous, [...(removedAfter.get(previous) ?? []), t]);
    else previous = t.id;
  }
  const pushRemoved = (anchor: string | null) => {
    for (const t of removedAfter.get(anchor) ?? []) rows.push({ key: t.id, change: 'removed', fields: [], before: t, after: null });
  };
  pushRemoved(null);
  for (const t of after.tasks) {
    const was = old.get(t.id);
    if (!was) rows.push({ key: t.id, change: 'added', fields: [], before: null, after: t });
    else {
      const keys = [...new Set([...Object.keys(was), ...Object.keys(t)])] as (keyof PlanTask)[];
      const fields = keys.filter((k) => canonicalJson(was[k] ?? null) !== canonicalJson(t[k] ?? null));
      rows.push({ key: t.id, change: fields.length ? 'changed' : 'same', fields, before: was, after: t });
    }
    pushRemoved(t.id);
  }
  return rows;
}

async function recordedVersions(db: Queryable, runId: string): Promise<Recorded[]> {
  const applied = await db.query<{ seq: string | number; occurred_at: Date; actor: string; payload: { version?: number; planHash: string; planner?: string; plan: Plan } }>(
    `SELECT seq, occurred_at, actor, payload FROM aura.events WHERE stream = $1 AND type = 'PlanGenerated' ORDER BY seq`,
    [runId],
  );
  const proposed = await db.query<{ seq: string | number; occurred_at: Date; actor: string; id: string; status: string; proposal: { plan: Plan; planHash: string; planner?: string; version: number } }>(
    `SELECT e.seq, e.occurred_at, e.actor, a.id, a.status, a.proposal
       FROM aura.approvals a JOIN aura.events e ON e.stream = a.run_id AND e.type = 'ReplanProposed' AND e.payload->>'approvalId' = a.id
      WHERE a.run_id = $1 AND a.subject = 'replan' AND a.status IN ('pending', 'rejected')
      ORDER BY e.seq`,
    [runId],
  );
  const versions: Recorded[] = applied.rows.map((r, i) => ({
    version: r.payload.version ?? i + 1,
    planHash: r.payload.planHash,
    planner: r.payload.planner ?? null,
    state: 'applied',
    seq: Number(r.seq),
    occurredAt: new Date(r.occurred_at),
    actor: r.actor,
    approvalId: null,
    taskCount: r.payload.plan.tasks.length,
    plan: r.payload.plan,
  }));
  for (const r of proposed.rows) {
    versions.push({
      version: r.proposal.version,
      planHash: r.proposal.planHash,
      planner: r.proposal.planner ?? null,
      state: r.status === 'pending' ? 'proposed' : 'rejected',
      seq: Number(r.seq),
      occurredAt: new Date(r.occurred_at),
      actor: r.actor,
      approvalId: r.id,
      taskCount: r.proposal.plan.tasks.length,
      plan: r.proposal.plan,
    });
  }
  return versions.sort((a, b) => a.seq - b.seq);
}

/** The run's plan versions and two of them side by side (by default the newest against the one before it). */
export async function getPlanDiff(db: Queryable, input: PlanDiffInput): Promise<PlanComparison> {
  const { runId, from, to } = parseInput(planDiffInputSchema, input, 'plan diff');
  const versions = await recordedVersions(db, runId);
  if (!versions.length) throw new AuraError('not_found', `Run ${runId} has no plan (no PlanGenerated event in its stream).`);
  // A rejected replan's number is used again by the next replan: asked by number, the applied one answers.
  const find = (v: number) => versions.findLast((x) => x.version === v && x.state === 'applied') ?? versions.findLast((x) => x.version === v);
  const known = () => [...new Set(versions.map((v) => v.version))].join(', ');
  const after = to === undefined ? versions.at(-1)! : find(to);
  if (!after) throw new AuraError('not_found', `Run ${runId} has no plan version ${to} (its versions: ${known()}).`);
  const before = from === undefined ? versions.filter((v) => v.state === 'applied' && v.seq < after.seq).at(-1) ?? null : find(from);
  if (from !== undefined && !before) throw new AuraError('not_found', `Run ${runId} has no plan version ${from} (its versions: ${known()}).`);
  const rows = comparePlans(before?.plan ?? null, after.plan);
  const count = (c: PlanDiffRow['change']) => rows.filter((r) => r.change === c).length;
  return {
    runId,
    versions: versions.map(({ plan: _plan, ...v }) => v),
    from: before?.version ?? null,
    to: after.version,
    rows,
    summary: { added: count('added'), removed: count('removed'), changed: count('changed'), same: count('same') },
  };
}
