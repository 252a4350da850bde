// Rebuilds a run's state from its events alone (status, plan in force, each task's state, attempt, employee and
// cost, approvals waiting): the proof that every transition is recorded, and the basis of time travel and replay.
import type { StoredEvent } from '../events/stored-event';
import type { TaskStatus } from '../queue/task-status';
import type { RunStatus } from './run-row';

export interface ProjectedTask {
  id: string;
  key: string;
  title: string;
  kind: string;
  status: TaskStatus;
  attempt: number;
  employeeId: string | null;
  /** Plan keys, as queued (a replan that changes them sends the task back with the new plan, see ProjectedRun.plan). */
  dependsOn: string[];
  /** What the task's attempts cost so far (each attempt's outcome event carries its cost). */
  costUsd: number;
}

export interface ProjectedApproval {
  id: string;
  subject: string;
  taskId: string | null;
  reason: string;
  requestedAtSeq: number;
}

export interface ProjectedRun {
  id: string;
  status: RunStatus;
  planVersion: number;
  planHash: string | null;
  /** The plan in force (the last PlanGenerated's), as recorded. */
  plan: unknown;
  /** The planner's cost plus every attempt's. */
  costUsd: number;
  tasks: Map<string, ProjectedTask>;
  /** Approvals requested and not yet answered, by approval id. */
  pendingApprovals: Map<string, ProjectedApproval>;
  /** The seq of the last event folded in (0 for none). */
  atSeq: number;
}

export function emptyProjection(runId: string): ProjectedRun {
  return { id: runId, status: 'running', planVersion: 0, planHash: null, plan: null, costUsd: 0, tasks: new Map(), pendingApprovals: new Map(), atSeq: 0 };
}

/** Folds a run's events (its stream, in order) into its state after the last of them. */
export function projectRun(events: readonly StoredEvent[]): ProjectedRun {
  const run = emptyProjection(events[0]?.runId ?? '');
  for (const e of events) applyEvent(run, e);
  return run;
}

/** Folds one more event into `run` (in place), so a long stream can be projected page by page. */
export function applyEvent(run: ProjectedRun, e: StoredEvent): void {
  const t = e.taskId ? run.tasks.get(e.taskId) : undefined;
  run.atSeq = e.seq;
  switch (e.type) {
    case 'RunStarted':
    case 'RunResumed':
      run.status = 'running';
      break;
    case 'PlanGenerated': {
      const p = (e as StoredEvent<'PlanGenerated'>).payload;
      Object.assign(run, { planVersion: p.version, planHash: p.planHash, plan: p.plan });
      run.costUsd += p.costUsd ?? 0;
      break;
    }
    case 'ReplanProposed':
      run.costUsd += (e as StoredEvent<'ReplanProposed'>).payload.costUsd ?? 0;
      break;
    case 'RunPaused':
      run.status = 'paused';
      break;
    case 'RunCompleted':
      run.status = (e as StoredEvent<'RunCompleted'>).payload.outcome;
      break;
    case 'RunBlocked':
      run.status = 'blocked';
      break;
    case 'RunFailed':
      run.status = 'failed';
      break;
    case 'RunCancelled':
      run.status = 'cancelled';
      break;
    case 'ApprovalRequested': {
      const p = (e as StoredEvent<'ApprovalRequested'>).payload;
      run.pendingApprovals.set(p.approvalId, { id: p.approvalId, subject: p.subject, taskId: e.taskId, reason: p.reason, requestedAtSeq: e.seq });
      if (t) t.status = 'awaiting_approval';
      else if (p.subject === 'plan') run.status = 'awaiting_approval';
      break;
    }
    case 'ApprovalGranted':
    case 'ApprovalRejected':
      run.pendingApprovals.delete((e as StoredEvent<'ApprovalGranted'>).payload.approvalId);
      break;
    case 'TaskQueued': {
      const p = (e as StoredEvent<'TaskQueued'>).payload;
      run.tasks.set(e.taskId!, { id: e.taskId!, key: p.key, title: p.title, kind: p.kind, status: p.status, attempt: 0, employeeId: null, dependsOn: p.dependsOn, costUsd: 0 });
      break;
    }
    case 'TaskReady':
      if (t) t.status = 'ready';
      break;
    case 'TaskAssigned': {
      const p = (e as StoredEvent<'TaskAssigned'>).payload;
      if (t) Object.assign(t, { status: 'running', attempt: p.attempt, employeeId: p.employeeId });
      break;
    }
    case 'TaskSucceeded': {
      const p = (e as StoredEvent<'TaskSucceeded'>).payload;
      if (t) Object.assign(t, { status: 'succeeded', attempt: p.attempt });
      charge(run, t, p.costUsd);
      break;
    }
    case 'TaskFailed':
      // Where the task goes next is the event that follows (TaskRetrying or TaskDeadLettered); the cost is here.
      charge(run, t, (e as StoredEvent<'TaskFailed'>).payload.costUsd ?? 0);
      break;
    case 'TaskRetrying':
      if (t) t.status = 'retry_wait';
      break;
    case 'TaskDeadLettered':
      if (t) t.status = 'dead_letter';
      break;
    case 'TaskSkipped':
      if (t) t.status = 'skipped';
      break;
    case 'TaskRequeued':
      if (t) t.status = 'pending';
      break;
    case 'TaskCancelled':
      if (t) t.status = 'cancelled';
      break;
    default:
      // TaskLeaseExpired, TaskProgress, tool calls, verification: the event that follows says where the task went.
      break;
  }
}

function charge(run: ProjectedRun, task: ProjectedTask | undefined, costUsd: number): void {
  run.costUsd += costUsd;
  if (task) task.costUsd += costUsd;
}
