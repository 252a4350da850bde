// The core service facade: what the MCP shell, the console and tests call. Runs (submit, read, pause, resume,
// cancel, replan), tasks (read, retry, skip, dead letters, approvals), the event log, and the scheduler.
import type { ContainerRuntime } from './containers/container-runtime';
import type { CoreContext } from './core-context';
import type { StoredEvent } from './events/stored-event';
import { createEmployeePool } from './manager/employee-pool';
import type { LeaderDuty } from './manager/leader-duties';
import { type Governance, openGovernance } from './manager/governance-port';
import { managerMetrics } from './manager/manager-metrics';
import type { ManagerMemory } from './manager/memory-port';
import { createPlanner, type Planner } from './manager/planner';
import type { RepoFiles } from './workspace/repo-files';
import type { BackupDuty } from './backup/backup-duty';
import { getPlanDiff, type PlanComparison, type PlanDiffInput } from './runs/plan-history';
import { getTaskDiff, type TaskDiff, type TaskDiffInput } from './runs/task-diff';
import type { Workspace } from './workspace/workspace';
import { createReplayConductor } from './replay/replay-conductor';
import { compareReplay, readReplayReport, type ReplayReport } from './replay/replay-report';
import { type ReplayRunInput, startReplay } from './replay/start-replay';
import { createScheduler, type RunGate, type Scheduler, type SchedulerObserver } from './manager/scheduler';
import { resolveSchedulerOptions, type SchedulerOptions } from './manager/scheduler-options';
import { createIdempotency, type Idempotency } from './queue/idempotency';
import { getApproval, listApprovals } from './runs/approval-queries';
import type { Approval } from './runs/approval-row';
import {
  type ApprovalDecision,
  approvalIdSchema,
  type EventQueryInput,
  eventQueryInputSchema,
  type ListApprovalsInput,
  type ListRunsInput,
  type ListTasksInput,
  parseInput,
  type ReplanInput,
  type RetryTaskInput,
  runIdSchema,
  type SubmitRunInput,
  taskIdSchema,
} from './runs/inputs';
import { replanRun, type ReplanResult } from './runs/replan-run';
import { type ResolvedApproval, resolveApproval } from './runs/resolve-approval';
import { cancelRun, pauseRun, resumeRun } from './runs/run-control';
import { getRun, listRuns, type RunDetail, type RunListItem } from './runs/run-queries';
import { getRunStateAt, type RunState, type RunStateInput } from './runs/run-state-at';
import { submitRun } from './runs/submit-run';
import { retryTask, skipTask } from './runs/task-actions';
import { getTask, listDeadLetters, listTasks, type TaskDetail, type TaskListItem } from './runs/task-queries';
import type { ModelProvider } from './workforce/model-provider';
import { createEmployeeRegistry, type EmployeeRegistry } from './workforce/employee-registry';
import type { WorkerFactory } from './workforce/worker';

export * from './runs/inputs';

export interface OrchestratorDeps {
  core: CoreContext;
  /** Builds the worker (employee port) for an employee; an employee it cannot build for gets no work. */
  workers: WorkerFactory;
  employees?: EmployeeRegistry;
  /** Default: openGovernance (allows everything, verifies the employee's own status). */
  governance?: Governance;
  /** A model for the planner; without one the structural planner is used. */
  planner?: ModelProvider;
  /** The run repository's files, from which tasks without a declared scope get one; without it they get the default scope. */
  repoFiles?: RepoFiles;
  /** The runs' repositories: a replay starts on its original's repository at its base commit, and is compared by git trees. */
  workspace?: Workspace;
  /** Checked before each dispatch round: while it answers ok: false, ready tasks wait (e.g. container engine down). */
  canRunNow?: RunGate;
  /** Scheduler settings; concurrency defaults to config.maxModelContainers. */
  options?: Partial<SchedulerOptions>;
  /** The scheduled backup the leader takes (aura serve); absent: none. */
  backups?: BackupDuty;
  observer?: SchedulerObserver;
  /** Memory for the planner's and employees' contexts; without it they get none. */
  memory?: ManagerMemory;
  /** The engine employees' containers run on: dead Managers' containers are removed from it (at start and by the leader). */
  containers?: ContainerRuntime;
  /** More periodic duties for the leader (after takeover, retries and the heads checkpoint), e.g. backups. */
  leaderDuties?: readonly LeaderDuty[];
}

export interface Orchestrator {
  runs: {
    submit(input: SubmitRunInput, actor: string): Promise<RunDetail>;
    list(filter?: ListRunsInput): Promise<RunListItem[]>;
    get(runId: string): Promise<RunDetail>;
    pause(runId: string, reason: string, actor: string): Promise<RunDetail>;
    resume(runId: string, reason: string | undefined, actor: string): Promise<RunDetail>;
    cancel(runId: string, reason: string, actor: string): Promise<RunDetail>;
    replan(runId: string, input: ReplanInput, actor: string): Promise<ReplanResult>;
    /** The run as it stood right after one of its events (its last by default), projected from the log alone. */
    stateAt(input: RunStateInput): Promise<RunState>;
    /** Its plan versions, and two of them side by side (the newest against the one before by default). */
    planDiff(input: PlanDiffInput): Promise<PlanComparison>;
  };
  tasks: {
    list(filter?: ListTasksInput): Promise<TaskListItem[]>;
    get(taskId: string): Promise<TaskDetail>;
    retry(taskId: string, input: RetryTaskInput, actor: string): Promise<TaskDetail>;
    skip(taskId: string, reason: string, actor: string): Promise<TaskDetail>;
    deadLetters(filter?: { runId?: string; workspaceId?: string }): Promise<TaskListItem[]>;
    /** Answers an approval, by its id (apr_…) or by the id of the task awaiting it (task_…). */
    resolveApproval(approvalIdOrTaskId: string, decision: ApprovalDecision): Promise<ResolvedApproval>;
    /** An attempt's commit as a text diff, against where it started or against the run branch now. */
    diff(input: TaskDiffInput): Promise<TaskDiff>;
  };
  replays: {
    /** Starts a replay of a run: its plan, its repository's base commit, every call served from its record. */
    start(input: ReplayRunInput, actor: string): Promise<RunDetail>;
    /** The stored report of a settled replay, or (not settled yet) the comparison as it stands, marked so. */
    report(runId: string): Promise<ReplayReport & { final: boolean }>;
  };
  approvals: {
    get(approvalId: string): Promise<Approval>;
    list(filter?: ListApprovalsInput): Promise<Approval[]>;
  };
  events: { query(filter: EventQueryInput): Promise<StoredEvent[]> };
  idempotency: Idempotency;
  employees: EmployeeRegistry;
  planner: Planner;
  scheduler: Scheduler;
  /** Starts the scheduler (LISTEN, dispatch loop, heartbeat, leader duties). */
  start(): Promise<void>;
  /** Stops it: running attempts get the grace period, then are stopped and their leases released. */
  stop(graceMs?: number): Promise<void>;
}

function backupLeaderDuty(backups: BackupDuty): LeaderDuty {
  return {
    name: 'scheduled backup',
    run: async (now) => {
      backups.due(now);
      return false;
    },
  };
}

export function createOrchestrator(deps: OrchestratorDeps): Orchestrator {
  const { core } = deps;
  const { store, events, clock, logger } = core;
  const log = logger.child({ component: 'manager' });
  const governance = deps.governance ?? openGovernance;
  const employees = deps.employees ?? createEmployeeRegistry({ store, events });
  const planner = createPlanner({ model: deps.planner, logger: log });
  const idempotency = createIdempotency({ store, clock });
  const options = resolveSchedulerOptions(deps.options ?? {}, { concurrency: core.config.maxModelContainers });
  const pool = createEmployeePool({ registry: employees, workers: deps.workers, clock, logger: log, refreshMs: options.employeeRefreshMs });
  const metrics = managerMetrics(core.metrics.registry);
  const observer: SchedulerObserver = {
    onAttemptStart: (i) => (metrics.onAttemptStart?.(i), deps.observer?.onAttemptStart?.(i)),
    onAttemptRecorded: (i) => (metrics.onAttemptRecorded?.(i), deps.observer?.onAttemptRecorded?.(i)),
  };
  const scheduler = createScheduler({
    store,
    events,
    clock,
    logger: log,
    governance,
    pool,
    idempotency,
    options,
    canRunNow: deps.canRunNow,
    observer,
    containers: deps.containers,
    checkpoint: { signer: core.signer, dir: core.config.auditDir },
    // The scheduled backup is one more duty of whichever Manager leads; it starts in the background and returns.
    leaderDuties: [...(deps.leaderDuties ?? []), ...(deps.backups ? [backupLeaderDuty(deps.backups)] : [])],
    memory: deps.memory,
  });
  const base = { store, events, clock, logger: log };
  const runId = (id: string) => parseInput(runIdSchema, id, 'run id');
  const taskId = (id: string) => parseInput(taskIdSchema, id, 'task id');
  const resolve = (id: string, decision: ApprovalDecision) => resolveApproval(base, id.startsWith('task_') ? taskId(id) : parseInput(approvalIdSchema, id, 'approval id'), decision);
  const conductor = createReplayConductor({ store, events, clock, logger: log, workspace: deps.workspace, resolveApproval: resolve });
  const reportDeps = { store, events, workspace: deps.workspace, now: () => clock.now() };

  return {
    runs: {
      submit: async (input, actor) => submitRun({ ...base, planner, governance, repoFiles: deps.repoFiles, memory: deps.memory }, input, actor),
      list: async (filter) => listRuns(store, filter),
      get: async (id) => getRun(store, runId(id)),
      pause: async (id, reason, actor) => pauseRun(base, runId(id), reason, actor),
      resume: async (id, reason, actor) => resumeRun(base, runId(id), reason, actor),
      cancel: async (id, reason, actor) => cancelRun(base, runId(id), reason, actor),
      replan: async (id, input, actor) => replanRun({ ...base, planner, governance, repoFiles: deps.repoFiles }, runId(id), input, actor),
      stateAt: async (input) => getRunStateAt(store, input),
      planDiff: async (input) => getPlanDiff(store, input),
    },
    tasks: {
      list: async (filter) => listTasks(store, filter),
      get: async (id) => getTask(store, taskId(id)),
      retry: async (id, input, actor) => retryTask(base, taskId(id), input, actor),
      skip: async (id, reason, actor) => skipTask(base, taskId(id), reason, actor),
      deadLetters: async (filter) => listDeadLetters(store, { runId: filter?.runId === undefined ? undefined : runId(filter.runId), workspaceId: filter?.workspaceId }),
      resolveApproval: async (id, decision) => resolve(typeof id === 'string' ? id : String(id), decision),
      diff: async (input) => getTaskDiff({ store, workspace: deps.workspace }, input),
    },
    replays: {
      start: async (input, actor) => startReplay({ ...base, workspace: deps.workspace }, input, actor),
      async report(id) {
        const stored = await readReplayReport(store, runId(id));
        return stored ? { ...stored, final: true } : { ...(await compareReplay(reportDeps, id)), final: false };
      },
    },
    approvals: {
      get: async (id) => getApproval(store, parseInput(approvalIdSchema, id, 'approval id')),
      list: async (filter) => listApprovals(store, filter),
    },
    events: {
      query: async (filter) => events.query(parseInput(eventQueryInputSchema, filter ?? {}, 'event query') as Parameters<typeof events.query>[0]),
    },
    idempotency,
    employees,
    planner,
    scheduler,
    async start() {
      await scheduler.start();
      await conductor.start();
    },
    async stop(graceMs) {
      await conductor.stop();
      await scheduler.stop(graceMs);
    },
  };
}
