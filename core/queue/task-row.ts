// Row and domain shapes of a queued task, and the mapping between them (JSON read back is validated).
import { z } from 'zod';
import { AuraError, describeIssues } from '../domain/errors';
import { type PlanTask, planTaskSchema } from '../manager/plan-schema';
import { type TaskStatus, taskStatuses } from './task-status';

export interface TaskRow {
  id: string;
  run_id: string;
  key: string;
  seq: number;
  title: string;
  kind: string;
  spec: unknown;
  status: string;
  deps_remaining: number;
  attempt: number;
  attempt_floor: number;
  max_attempts: number;
  timeout_ms: number;
  resume_attempt: boolean;
  lease_expiries: number;
  lease_owner: string | null;
  lease_until: Date | null;
  employee_id: string | null;
  tried_employees: string[];
  not_before: Date | null;
  approval_granted: boolean;
  last_error: string | null;
  result: unknown;
  cost_usd: number;
  in_plan: boolean;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export const taskColumns =
  'id, run_id, key, seq, title, kind, spec, status, deps_remaining, attempt, attempt_floor, max_attempts, timeout_ms, resume_attempt, lease_expiries, lease_owner, lease_until, employee_id, tried_employees, not_before, approval_granted, last_error, result, cost_usd, in_plan, created_at, updated_at, started_at, finished_at';

/** What the Manager keeps of an accepted result. */
export const taskResultSchema = z.object({
  summary: z.string(),
  output: z.unknown().optional(),
  commit: z.string().optional(),
  employeeId: z.string().nullable().optional(),
});
export type TaskResult = z.infer<typeof taskResultSchema>;

export interface Task {
  id: string;
  runId: string;
  /** The task's id inside its plan ("api-login"). */
  key: string;
  title: string;
  kind: PlanTask['kind'];
  spec: PlanTask;
  status: TaskStatus;
  dependsOn: string[];
  /** Dependencies not yet succeeded or skipped. */
  depsRemaining: number;
  /** The last attempt number handed out (0 before the first). */
  attempt: number;
  maxAttempts: number;
  /** Attempts left before the dead-letter queue (counted since the Director's last retry). */
  attemptsLeft: number;
  timeoutMs: number;
  employeeId: string | null;
  triedEmployees: string[];
  lease: { owner: string; until: Date } | null;
  leaseExpiries: number;
  notBefore: Date | null;
  approvalGranted: boolean;
  lastError: string | null;
  result: TaskResult | null;
  costUsd: number;
  inPlan: boolean;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export function toTask(row: TaskRow, dependsOn: string[] = []): Task {
  const spec = planTaskSchema.safeParse(row.spec);
  if (!spec.success) throw new AuraError('internal', `Task ${row.id} has an unreadable spec: ${describeIssues(spec.error.issues)}`);
  const result = row.result == null ? null : taskResultSchema.safeParse(row.result);
  if (result && !result.success) throw new AuraError('internal', `Task ${row.id} has an unreadable result: ${describeIssues(result.error.issues)}`);
  return {
    id: row.id,
    runId: row.run_id,
    key: row.key,
    title: row.title,
    kind: spec.data.kind,
    spec: spec.data,
    status: z.enum(taskStatuses).parse(row.status),
    dependsOn,
    depsRemaining: Number(row.deps_remaining),
    attempt: Number(row.attempt),
    maxAttempts: Number(row.max_attempts),
    attemptsLeft: Math.max(0, Number(row.max_attempts) - (Number(row.attempt) - Number(row.attempt_floor))),
    timeoutMs: Number(row.timeout_ms),
    employeeId: row.employee_id,
    triedEmployees: row.tried_employees ?? [],
    lease: row.lease_owner && row.lease_until ? { owner: row.lease_owner, until: row.lease_until } : null,
    leaseExpiries: Number(row.lease_expiries),
    notBefore: row.not_before,
    approvalGranted: row.approval_granted,
    lastError: row.last_error,
    result: result ? result.data : null,
    costUsd: Number(row.cost_usd),
    inPlan: row.in_plan,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** `{run}_{task}_{attempt}`: the idempotency key of one attempt. */
export function idempotencyKey(runId: string, taskId: string, attempt: number): string {
  return `${runId}_${taskId}_${attempt}`;
}
