// Rebuilds a run's state (its status and each task's status, attempt and employee) from its events alone:
// the proof that every transition is recorded, and the basis of replay and audits.
import type { StoredEvent } from '../events/stored-event';
import type { TaskStatus } from '../queue/task-status';
import type { RunStatus } from './run-row';

export interface ProjectedTask {
  id: string;
  key: string;
  status: TaskStatus;
  attempt: number;
  employeeId: string | null;
}

export interface ProjectedRun {
  id: string;
  status: RunStatus;
  planVersion: number;
  tasks: Map<string, ProjectedTask>;
}

/** Folds a run's events (its stream, in order) into its current state. */
export function projectRun(events: readonly StoredEvent[]): ProjectedRun {
  const run: ProjectedRun = { id: events[0]?.runId ?? '', status: 'running', planVersion: 0, tasks: new Map() };
  const task = (id: string | null) => (id ? run.tasks.get(id) : undefined);
  for (const e of events) {
    const t = task(e.taskId);
    switch (e.type) {
      case 'RunStarted':
      case 'RunResumed':
        run.status = 'running';
        break;
      case 'PlanGenerated':
        run.planVersion = (e as StoredEvent<'PlanGenerated'>).payload.version;
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
        const subject = (e as StoredEvent<'ApprovalRequested'>).payload.subject;
        if (t) t.status = 'awaiting_approval';
        else if (subject === 'plan') run.status = 'awaiting_approval';
        break;
      }
      case 'TaskQueued': {
        const p = (e as StoredEvent<'TaskQueued'>).payload;
        run.tasks.set(e.taskId!, { id: e.taskId!, key: p.key, status: p.status, attempt: 0, employeeId: null });
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
      case 'TaskSucceeded':
        if (t) Object.assign(t, { status: 'succeeded', attempt: (e as StoredEvent<'TaskSucceeded'>).payload.attempt });
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
        // TaskFailed, TaskLeaseExpired, TaskProgress, approvals' answers, tool calls: the event that follows says where the task went.
        break;
    }
  }
  return run;
}
