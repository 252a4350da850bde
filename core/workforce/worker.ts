// The employee port (BaseModelWorker): what the Manager hands an employee and what comes back.
import type { PlanTask } from '../manager/plan-schema';
import type { Employee } from './employee';

export interface Assignment {
  runId: string;
  taskId: string;
  attempt: number;
  /** `{run}_{task}_{attempt}`: an effect keyed by it is applied at most once. */
  idempotencyKey: string;
  task: PlanTask;
  employee: Employee;
  /** The run's PRD title, the summaries of finished dependencies, and what the Manager chose from memory. */
  context: { runTitle: string; dependencies: Array<{ taskId: string; title: string; summary: string }>; memory?: MemoryItem[] };
  /** Absolute deadline (ms since epoch) after which the attempt counts as timed out. */
  deadline: number;
  /** The Manager (lease owner) running the attempt; its containers carry it as a label. */
  manager?: string;
  /**
   * Set when this attempt ran before under a Manager that died. 'stored-result': the employee had finished and its
   * stored result is verified (it is not run again); 'worktree': it was cut off mid-work and starts again from the
   * attempt's worktree as that run left it. The evidence bundle records which.
   */
  resumed?: { from: 'stored-result' | 'worktree' };
}

/** A memory entry put into an assignment's context (the version is pinned: a resumed attempt gets the same). */
export interface MemoryItem {
  uri: string;
  scope: 'user' | 'org' | 'project' | 'run';
  namespace: string;
  key: string;
  version: number;
  content: string;
  tokens: number;
  score: number;
}

export interface Telemetry {
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  costUsd: number;
  model: string;
}

export interface WorkResult {
  status: 'succeeded' | 'failed';
  summary: string;
  /** Free-form structured output of the employee (validated by the Auditor's schema layer). */
  output?: unknown;
  /** What the employee claims about its acceptance checks (the Auditor checks this claim). */
  claimsChecksPassed?: boolean;
  /** The commit on the task's branch, for tasks that change files. */
  commit?: string;
  telemetry: Telemetry;
}

export interface WorkContext {
  /** Aborted when the Manager cancels the attempt (timeout, suspension, run cancelled). */
  signal: AbortSignal;
  /** Host folder of the task's worktree, when the run has a workspace. */
  workdir?: string;
  /** Records a progress note (becomes an event). */
  progress(note: string): void;
}

export interface WorkerCapabilities {
  provider: string;
  model: string;
  /** Task kinds this worker can do at all. */
  kinds: readonly string[];
  structuredOutput: boolean;
  /** Whether it runs inside an isolated container. */
  isolated: boolean;
}

export interface BaseModelWorker {
  readonly capabilities: WorkerCapabilities;
  execute(assignment: Assignment, context: WorkContext): Promise<WorkResult>;
  /** Stops the attempt now (kills its container); execute() then rejects or resolves as failed. */
  cancel(taskId: string): Promise<void>;
}

/** Builds the worker for an employee; the composition root supplies one that knows the adapters. */
export type WorkerFactory = (employee: Employee) => BaseModelWorker;
