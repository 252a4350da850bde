// What a run's archive holds, assembled from its events: run, plan, tasks with their attempts, approvals, anomalies.
import type { StoredEvent } from '../../events/stored-event';

export interface ArchivedAttempt {
  attempt: number;
  employeeId: string | null;
  outcome: string;
  summary?: string;
  reason?: string;
  costUsd?: number;
  evidenceHash?: string | null;
  /** The Accountant's reading of the attempt (verified, failed, error, infrastructure). */
  assessed?: string;
}

export interface ArchivedTask {
  taskId: string;
  title: string;
  kind: string;
  status: string;
  attempts: ArchivedAttempt[];
}

export interface RunStory {
  run: { id: string; title: string; outcome: string; startedAt: string | null; finishedAt: string | null; budgetUsd: number | null; policySet: string | null };
  plan: { version: number; planHash: string; plan: unknown } | null;
  tasks: ArchivedTask[];
  approvals: Array<{ type: string; taskId: string | null; at: string; payload: unknown }>;
  anomalies: Array<{ taskId: string | null; at: string; payload: unknown }>;
  violations: Array<{ taskId: string | null; at: string; payload: unknown }>;
}

const terminal: Record<string, string> = { RunCompleted: 'completed', RunFailed: 'failed', RunCancelled: 'cancelled' };

/** Folds a run's events (oldest first) into the story the archive keeps. */
export function foldRunEvents(runId: string, events: readonly StoredEvent[]): RunStory {
  const story: RunStory = {
    run: { id: runId, title: runId, outcome: 'unfinished', startedAt: null, finishedAt: null, budgetUsd: null, policySet: null },
    plan: null,
    tasks: [],
    approvals: [],
    anomalies: [],
    violations: [],
  };
  const tasks = new Map<string, ArchivedTask>();
  const task = (id: string) => {
    let t = tasks.get(id);
    if (!t) tasks.set(id, (t = { taskId: id, title: id, kind: '', status: 'pending', attempts: [] }));
    return t;
  };
  const attempt = (t: ArchivedTask, n: number) => {
    let a = t.attempts.find((x) => x.attempt === n);
    if (!a) t.attempts.push((a = { attempt: n, employeeId: null, outcome: 'started' }));
    return a;
  };
  for (const e of events) {
    const p = e.payload as Record<string, unknown>;
    const at = e.occurredAt.toISOString();
    const t = e.taskId ? task(e.taskId) : null;
    switch (e.type) {
      case 'RunStarted':
        Object.assign(story.run, { title: p.title, startedAt: at, budgetUsd: p.budgetUsd ?? null, policySet: p.policySet ?? null });
        break;
      case 'PlanGenerated':
        story.plan = { version: Number(p.version), planHash: String(p.planHash), plan: p.plan };
        break;
      case 'TaskQueued':
        Object.assign(t!, { title: p.title, kind: p.kind });
        break;
      case 'TaskAssigned':
        attempt(t!, Number(p.attempt)).employeeId = String(p.employeeId);
        t!.status = 'running';
        break;
      case 'TaskSucceeded':
        Object.assign(attempt(t!, Number(p.attempt)), { outcome: 'succeeded', summary: p.summary, costUsd: p.costUsd, employeeId: p.employeeId });
        t!.status = 'succeeded';
        break;
      case 'TaskFailed':
        Object.assign(attempt(t!, Number(p.attempt)), { outcome: 'failed', reason: p.reason });
        t!.status = 'failed';
        break;
      case 'AttemptAssessed':
        Object.assign(attempt(t!, Number(p.attempt)), { evidenceHash: p.evidenceHash, assessed: p.outcome, employeeId: p.employeeId });
        break;
      case 'TaskDeadLettered':
      case 'TaskSkipped':
      case 'TaskCancelled':
        t!.status = e.type === 'TaskDeadLettered' ? 'dead_letter' : e.type === 'TaskSkipped' ? 'skipped' : 'cancelled';
        break;
      case 'ApprovalRequested':
      case 'ApprovalGranted':
      case 'ApprovalRejected':
        story.approvals.push({ type: e.type, taskId: e.taskId, at, payload: p });
        break;
      case 'AnomalyDetected':
        story.anomalies.push({ taskId: e.taskId, at, payload: p });
        break;
      case 'PolicyViolation':
      case 'CostLimitExceeded':
        story.violations.push({ taskId: e.taskId, at, payload: { type: e.type, ...p } });
        break;
      default:
        if (terminal[e.type]) {
          story.run.finishedAt = at;
          story.run.outcome = e.type === 'RunCompleted' ? String(p.outcome) : terminal[e.type]!;
        }
    }
  }
  story.tasks = [...tasks.values()];
  return story;
}
