// Time travel: a run as it stood right after one of its events, projected from its stream up to that seq.
import { z } from 'zod';
import { AuraError } from '../domain/errors';
import type { EventType } from '../events/catalog';
import type { EventRow, StoredEvent } from '../events/stored-event';
import { planSchema } from '../manager/plan-schema';
import type { TaskStatus } from '../queue/task-status';
import type { Queryable } from '../store/store';
import { parseInput, runIdSchema } from './inputs';
import { applyEvent, emptyProjection, type ProjectedRun } from './run-projection';
import type { RunStatus } from './run-row';

export const runStateInputSchema = z.strictObject({
  runId: runIdSchema,
  /** The seq of an event of the run's stream; omitted means its last event. */
  atEvent: z.number().int().positive().optional(),
});
export type RunStateInput = z.input<typeof runStateInputSchema>;

export interface RunStateTask {
  id: string;
  key: string;
  title: string;
  kind: string;
  status: TaskStatus;
  attempt: number;
  employeeId: string | null;
  dependsOn: string[];
  costUsd: number;
  /** In the plan in force at that event (a replan may have removed it). */
  inPlan: boolean;
}

export interface RunState {
  runId: string;
  /** The event the state is taken right after, and the run's last event (so a caller can step through). */
  at: { seq: number; type: EventType; occurredAt: Date; actor: string };
  lastSeq: number;
  status: RunStatus;
  planVersion: number;
  planHash: string | null;
  plan: z.infer<typeof planSchema> | null;
  costUsd: number;
  tasks: RunStateTask[];
  pendingApprovals: Array<{ id: string; subject: string; taskId: string | null; reason: string; requestedAtSeq: number }>;
}

/** Events are read in pages of this many, so a long run is projected in bounded memory. */
const PAGE = 20_000;

/**
 * Only what the projection reads. Payloads are taken as stored: each was checked against its schema when appended
 * and is covered by the chain (verify_audit), and the projection reads them defensively; re-checking each one with
 * zod on every time-travel request was most of its cost.
 */
const projectionColumns = 'seq, type, task_id, actor, payload, occurred_at';
type ProjectionRow = Pick<EventRow, 'seq' | 'type' | 'task_id' | 'actor' | 'payload' | 'occurred_at'>;
const toProjected = (row: ProjectionRow) =>
  ({ seq: Number(row.seq), type: row.type as EventType, taskId: row.task_id, actor: row.actor, payload: row.payload, occurredAt: new Date(row.occurred_at) }) as unknown as StoredEvent;

/** The run's state right after event `atEvent` of its stream (its last by default), from the log alone. */
export async function getRunStateAt(db: Queryable, input: RunStateInput): Promise<RunState> {
  const { runId, atEvent } = parseInput(runStateInputSchema, input, 'run state request');
  const head = (await db.query<{ seq: number }>('SELECT seq FROM aura.event_heads WHERE stream = $1', [runId])).rows[0];
  if (!head) throw new AuraError('not_found', `No run with id "${runId}" (its event stream is empty).`);
  const lastSeq = Number(head.seq);
  if (atEvent !== undefined && atEvent > lastSeq) throw new AuraError('invalid_input', `Run ${runId} has ${lastSeq} events; atEvent ${atEvent} is past its last.`);
  const until = atEvent ?? lastSeq;
  const run = emptyProjection(runId);
  let at: RunState['at'] | undefined;
  for (let after = 0; after < until; ) {
    // ORDER BY stream, seq: the order of the (stream, seq) index, so each page is an index range, not a sort.
    const rows = (await db.query<ProjectionRow>(`SELECT ${projectionColumns} FROM aura.events WHERE stream = $1 AND seq > $2 AND seq <= $3 ORDER BY stream, seq LIMIT ${PAGE}`, [runId, after, until])).rows;
    if (rows.length === 0) break;
    for (const row of rows) {
      const event = toProjected(row);
      applyEvent(run, event);
      at = { seq: event.seq, type: event.type, occurredAt: event.occurredAt, actor: event.actor };
    }
    after = run.atSeq;
  }
  // A stream trimmed by the Director's retention cleanup has no events below its anchor: nothing to project from.
  if (!at || at.seq !== until) throw new AuraError('not_found', `Run ${runId} has no event ${until} in its log (retention may have trimmed it).`);
  return toRunState(run, at, lastSeq);
}

export function toRunState(run: ProjectedRun, at: RunState['at'], lastSeq: number): RunState {
  const parsed = run.plan === null ? null : planSchema.safeParse(run.plan);
  const plan = parsed?.success ? parsed.data : null;
  const planned = plan ? new Map(plan.tasks.map((t) => [t.id, t])) : new Map();
  const tasks = [...run.tasks.values()].map((t) => {
    const inPlan = planned.has(t.key);
    return { id: t.id, key: t.key, title: t.title, kind: t.kind, status: t.status, attempt: t.attempt, employeeId: t.employeeId, dependsOn: inPlan ? [...planned.get(t.key)!.dependsOn] : t.dependsOn, costUsd: t.costUsd, inPlan };
  });
  return {
    runId: run.id,
    at,
    lastSeq,
    status: run.status,
    planVersion: run.planVersion,
    planHash: run.planHash,
    plan,
    costUsd: run.costUsd,
    tasks,
    pendingApprovals: [...run.pendingApprovals.values()],
  };
}
