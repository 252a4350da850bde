// Puts plan tasks into the queue of a run (one batch: tasks, their dependency edges, approvals, TaskQueued events).
import { AuraError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { EventLog, NewEvent } from '../events/event-log';
import type { PlanTask } from '../manager/plan-schema';
import type { Queryable } from '../store/store';
import { QUEUE_CHANNEL } from './queue-channel';

export interface ExistingTask {
  id: string;
  /** Succeeded or skipped: a new dependency on it is already satisfied. */
  done: boolean;
}

export interface EnqueueInput {
  runId: string;
  tasks: readonly PlanTask[];
  actor: string;
  now: Date;
  /** Tasks already in the run, by key, that new tasks may depend on (replans). */
  existing?: ReadonlyMap<string, ExistingTask>;
}

export interface EnqueuedTask {
  id: string;
  key: string;
  status: 'pending' | 'ready' | 'awaiting_approval';
  approvalId: string | null;
}

/** Inserts the tasks in plan order (their queue order); dependencies must name tasks of this batch or `existing`. */
export async function enqueueTasks(tx: Queryable, events: EventLog, input: EnqueueInput): Promise<EnqueuedTask[]> {
  const { runId, tasks, now } = input;
  if (tasks.length === 0) return [];
  const ids = new Map(tasks.map((t) => [t.id, newId('task', now)]));
  const resolveDep = (key: string) => ids.get(key) ?? input.existing?.get(key)?.id;
  const enqueued: EnqueuedTask[] = tasks.map((task) => {
    const open = task.dependsOn.filter((key) => ids.has(key) || !input.existing?.get(key)?.done).length;
    const status = open > 0 ? 'pending' : task.kind === 'approval' ? 'awaiting_approval' : 'ready';
    return { id: ids.get(task.id)!, key: task.id, status, approvalId: status === 'awaiting_approval' ? newId('apr', now) : null };
  });
  const at = now.toISOString();
  await tx.query(
    // One round trip: the tasks, and the wake-up of schedulers when one of them is ready (sent at commit).
    `WITH ins AS (
       INSERT INTO aura.tasks (id, run_id, key, title, kind, spec, status, deps_remaining, max_attempts, timeout_ms, created_at, updated_at, run_active)
       SELECT u.id, $1, u.key, u.title, u.kind, u.spec::jsonb, u.status, u.deps, u.max_attempts, u.timeout_ms, $2, $2,
              (SELECT status = 'running' FROM aura.runs WHERE id = $1)
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::int[], $11::int[])
              WITH ORDINALITY AS u (id, key, title, kind, spec, status, deps, max_attempts, timeout_ms, ord)
        ORDER BY u.ord
       RETURNING status)
     SELECT pg_notify($12, $1) FROM (SELECT 1 FROM ins WHERE status = 'ready' LIMIT 1) ready`,
    [
      runId,
      at,
      enqueued.map((e) => e.id),
      tasks.map((t) => t.id),
      tasks.map((t) => t.title),
      tasks.map((t) => t.kind),
      tasks.map((t) => JSON.stringify(t)),
      enqueued.map((e) => e.status),
      tasks.map((t) => t.dependsOn.filter((key) => ids.has(key) || !input.existing?.get(key)?.done).length),
      tasks.map((t) => t.maxAttempts),
      tasks.map((t) => t.timeoutMs),
      QUEUE_CHANNEL,
    ],
  );
  const edges = tasks.flatMap((t) => [...new Set(t.dependsOn)].map((key) => [ids.get(t.id)!, resolveDep(key)] as const));
  const missing = edges.find(([, dep]) => dep === undefined);
  if (missing) throw new AuraError('internal', `enqueueTasks: a dependency of ${missing[0]} names no task of run ${runId}.`);
  if (edges.length) {
    await tx.query('INSERT INTO aura.task_deps (task_id, depends_on) SELECT * FROM unnest($1::text[], $2::text[])', [edges.map((e) => e[0]), edges.map((e) => e[1]!)]);
  }
  const asked = enqueued.filter((e) => e.approvalId);
  if (asked.length) {
    await tx.query(
      `INSERT INTO aura.approvals (id, run_id, task_id, subject, reason, requested_at)
       SELECT a, $1, t, 'task', 'an approval task of the plan', $2 FROM unnest($3::text[], $4::text[]) AS u (a, t)`,
      [runId, at, asked.map((e) => e.approvalId!), asked.map((e) => e.id)],
    );
  }
  const queued: NewEvent[] = enqueued.map((e, i) => ({
    type: 'TaskQueued',
    runId,
    taskId: e.id,
    actor: input.actor,
    payload: { key: e.key, title: tasks[i]!.title, kind: tasks[i]!.kind, dependsOn: tasks[i]!.dependsOn, status: e.status },
  }));
  for (const e of asked) queued.push({ type: 'ApprovalRequested', runId, taskId: e.id, actor: input.actor, payload: { approvalId: e.approvalId!, reason: 'an approval task of the plan', subject: 'task' } });
  await events.appendIn(tx, queued);
  return enqueued;
}
