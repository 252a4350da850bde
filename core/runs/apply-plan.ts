// Applies a new plan version to a run: removed tasks are cancelled, changed tasks (and everything downstream of
// them) go back to pending with their new spec, added tasks are queued. The caller holds the run's row lock.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import { newId } from '../domain/ids';
import type { EventLog, NewEvent } from '../events/event-log';
import type { Plan } from '../manager/plan-schema';
import { enqueueTasks, type ExistingTask } from '../queue/enqueue-tasks';
import { QUEUE_CHANNEL } from '../queue/queue-channel';
import { settledEvents, settleRuns } from '../queue/settle-runs';
import type { Queryable } from '../store/store';
import type { RunStatus } from './run-row';
import { reopenIfPartial } from './run-transitions';

export interface ApplyPlanInput {
  runId: string;
  plan: Plan;
  planHash: string;
  planner: string;
  prd: string;
  version: number;
  actor: string;
  now: Date;
}

interface TaskState {
  id: string;
  key: string;
  status: string;
  spec: unknown;
  in_plan: boolean;
}

export async function applyPlan(tx: Queryable, events: EventLog, input: ApplyPlanInput): Promise<{ added: string[]; removed: string[]; reset: string[] }> {
  const { runId, plan, actor, now } = input;
  const at = now.toISOString();
  const rows = (await tx.query<TaskState>('SELECT id, key, status, spec, in_plan FROM aura.tasks WHERE run_id = $1 ORDER BY seq FOR UPDATE', [runId])).rows;
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const next = new Map(plan.tasks.map((t) => [t.id, t]));
  const removed = rows.filter((r) => r.in_plan && !next.has(r.key));
  const added = plan.tasks.filter((t) => !byKey.has(t.id));
  const changedKeys = plan.tasks.filter((t) => byKey.has(t.id) && (!byKey.get(t.id)!.in_plan || canonicalJson(byKey.get(t.id)!.spec) !== canonicalJson(t))).map((t) => t.id);
  const resetKeys = downstream(plan, new Set(changedKeys));
  for (const t of added) resetKeys.delete(t.id);
  const reset = [...resetKeys].map((k) => byKey.get(k)!);

  const run = (await tx.query<{ status: RunStatus }>('SELECT status FROM aura.runs WHERE id = $1', [runId])).rows[0]!;
  await tx.query('UPDATE aura.runs SET plan = $2::jsonb, plan_hash = $3, plan_version = $4, planner = $5, prd = $6, prd_hash = $7, updated_at = $8 WHERE id = $1', [
    runId,
    JSON.stringify(plan),
    input.planHash,
    input.version,
    input.planner,
    input.prd,
    createHash('sha256').update(input.prd).digest('hex'),
    at,
  ]);
  const out: NewEvent[] = [{ type: 'PlanGenerated', runId, actor, payload: { planHash: input.planHash, planner: input.planner, taskCount: plan.tasks.length, version: input.version, plan } }];
  const reason = `replan v${input.version}`;

  const leaving = [...removed, ...reset].map((r) => r.id);
  if (leaving.length) {
    await tx.query('DELETE FROM aura.task_deps WHERE task_id = ANY ($1::text[])', [leaving]);
    await tx.query(`UPDATE aura.approvals SET status = 'cancelled', decided_at = $2, note = $3 WHERE task_id = ANY ($1::text[]) AND status = 'pending'`, [leaving, at, reason]);
  }
  if (removed.length) {
    await tx.query('UPDATE aura.tasks SET in_plan = false, updated_at = $2 WHERE id = ANY ($1::text[])', [removed.map((r) => r.id), at]);
    const stopping = removed.filter((r) => !['succeeded', 'skipped', 'cancelled'].includes(r.status));
    await tx.query(`UPDATE aura.tasks SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, finished_at = $2 WHERE id = ANY ($1::text[])`, [stopping.map((r) => r.id), at]);
    for (const r of stopping) out.push({ type: 'TaskCancelled', runId, taskId: r.id, actor, payload: { reason: `removed by ${reason}` } });
  }
  for (const r of reset) {
    const spec = next.get(r.key)!;
    await tx.query(
      `UPDATE aura.tasks SET spec = $2::jsonb, title = $3, kind = $4, max_attempts = $5, timeout_ms = $6, in_plan = true, status = 'pending',
              deps_remaining = 0, attempt_floor = attempt, tried_employees = '{}', resume_attempt = false, lease_expiries = 0,
              lease_owner = NULL, lease_until = NULL, not_before = NULL, approval_granted = false, finished_at = NULL, updated_at = $7
        WHERE id = $1`,
      [r.id, JSON.stringify(spec), spec.title, spec.kind, spec.maxAttempts, spec.timeoutMs, at],
    );
    out.push({ type: 'TaskRequeued', runId, taskId: r.id, actor, payload: { reason: changedKeys.includes(r.key) ? `${reason} changed it` : `${reason} changed a task it depends on` } });
  }
  await events.appendIn(tx, out);

  const existing = new Map<string, ExistingTask>();
  for (const r of rows) if (next.has(r.key) && !resetKeys.has(r.key)) existing.set(r.key, { id: r.id, done: r.status === 'succeeded' || r.status === 'skipped' });
  for (const r of reset) existing.set(r.key, { id: r.id, done: false });
  const enqueued = await enqueueTasks(tx, events, { runId, tasks: added, actor, now, existing });
  const idOf = new Map([...[...existing].map(([k, v]) => [k, v.id] as const), ...enqueued.map((e) => [e.key, e.id] as const)]);

  const edges = reset.flatMap((r) => next.get(r.key)!.dependsOn.map((dep) => [r.id, idOf.get(dep)!] as const));
  if (edges.length) await tx.query('INSERT INTO aura.task_deps (task_id, depends_on) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [edges.map((e) => e[0]), edges.map((e) => e[1])]);
  const after: NewEvent[] = [];
  if (reset.length) {
    const settled = await tx.query<{ id: string; status: string; kind: string }>(
      `UPDATE aura.tasks t SET deps_remaining = c.n,
              status = CASE WHEN c.n > 0 THEN 'pending' WHEN t.kind = 'approval' THEN 'awaiting_approval' ELSE 'ready' END
         FROM (SELECT t2.id, count(u.id) FILTER (WHERE u.status NOT IN ('succeeded', 'skipped'))::int AS n
                 FROM aura.tasks t2 LEFT JOIN aura.task_deps d ON d.task_id = t2.id LEFT JOIN aura.tasks u ON u.id = d.depends_on
                WHERE t2.id = ANY ($1::text[]) GROUP BY t2.id) c
        WHERE t.id = c.id
       RETURNING t.id, t.status, t.kind`,
      [reset.map((r) => r.id)],
    );
    for (const s of settled.rows) {
      if (s.status === 'ready') after.push({ type: 'TaskReady', runId, taskId: s.id, actor, payload: { reason } });
      if (s.status === 'awaiting_approval') {
        const approvalId = newId('apr', now);
        await tx.query(`INSERT INTO aura.approvals (id, run_id, task_id, subject, reason, requested_at) VALUES ($1, $2, $3, 'task', 'an approval task of the plan', $4)`, [approvalId, runId, s.id, at]);
        after.push({ type: 'ApprovalRequested', runId, taskId: s.id, actor, payload: { approvalId, reason: 'an approval task of the plan', subject: 'task' } });
      }
    }
  }
  await events.appendIn(tx, after);
  if (added.length || reset.length) await reopenIfPartial(tx, events, { runId, status: run.status, reason: `${reason} added work`, actor, now });
  await events.appendIn(tx, settledEvents(await settleRuns(tx, [runId], now), actor));
  await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, `cancel:${runId}`]);
  return { added: added.map((t) => t.id), removed: removed.map((r) => r.key), reset: reset.map((r) => r.key) };
}

/** The given keys and every task of the plan that depends on one of them, directly or not. */
function downstream(plan: Plan, from: Set<string>): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const t of plan.tasks) for (const dep of t.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), t.id]);
  const out = new Set(from);
  const queue = [...from];
  while (queue.length) for (const d of dependents.get(queue.pop()!) ?? []) if (!out.has(d)) out.add(d), queue.push(d);
  return out;
}
