// The Governance port: how the Manager asks the Auditor, Accountant, HR and policies before and after work.
// The Manager owns the queue; governance decides. Until governance is wired in, `openGovernance` allows all.
import type { Queryable } from '../store/store';
import type { Employee } from '../workforce/employee';
import type { Assignment, WorkResult } from '../workforce/worker';
import type { Plan, PlanTask } from './plan-schema';

export interface RunInfo {
  id: string;
  title: string;
  budgetUsd: number | null;
  policySet: string | null;
  costUsd: number;
}

export type PlanDecision = { action: 'allow' } | { action: 'deny'; rule: string; reason: string } | { action: 'require_approval'; rule: string; reason: string };

export type TaskDecision =
  | { action: 'allow' }
  | { action: 'deny'; rule: string; reason: string }
  | { action: 'require_approval'; rule: string; reason: string };

export interface Verdict {
  passed: boolean;
  /** Why it failed, in words the Director can read. */
  reason?: string;
  /** Whether another attempt (maybe by another employee) could succeed. */
  retryable?: boolean;
}

export interface AttemptOutcome {
  assignment: Assignment;
  result: WorkResult | null;
  verdict: Verdict | null;
  /** Set when the attempt threw, timed out or was killed. */
  error?: string;
}

export interface Governance {
  /** At plan time: a deny rejects the plan naming the rule; require_approval parks the run for the Director. */
  checkPlan(plan: Plan, run: RunInfo): Promise<PlanDecision>;
  /** Before a task is assigned (and before each tool call/command, by the workers). */
  beforeTask(task: PlanTask, employee: Employee, run: RunInfo): Promise<TaskDecision>;
  /** Verifies a result the employee reported: schema, acceptance checks, optional review. */
  verify(assignment: Assignment, result: WorkResult): Promise<Verdict>;
  /** After every attempt (success or failure): evidence, cost ledger, scores, HR rules. */
  afterAttempt(tx: Queryable, outcome: AttemptOutcome): Promise<void>;
  /** False when afterAttempt writes nothing: outcomes may then be recorded in one statement. Absent: it writes. */
  readonly afterAttemptWrites?: boolean;
  /** Orders eligible employees for a task, best first (Accountant routing). */
  rankEmployees(task: PlanTask, candidates: Employee[]): Promise<Employee[]>;
}

/** Allows everything and verifies nothing beyond the employee's own status: the Manager's default. */
export const openGovernance: Governance = {
  checkPlan: async () => ({ action: 'allow' }),
  beforeTask: async () => ({ action: 'allow' }),
  verify: async (_assignment, result) => ({ passed: result.status === 'succeeded', reason: result.status === 'succeeded' ? undefined : result.summary, retryable: true }),
  afterAttempt: async () => undefined,
  afterAttemptWrites: false,
  rankEmployees: async (_task, candidates) => candidates,
};
