// The composition root's second half: employees at work, governance and the Manager (orchestrator), started together.
import { createEmployeeModel } from '../../../adapters/employee-model';
import { startGatewayListener } from '../../../adapters/gateway/gateway-listener';
import { assembleEmployeesAtWork } from '../../../adapters/employees-at-work';
import { openContainerRuntime } from '../../../adapters/containers/open-container-runtime';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import type { ContainerRuntime } from '../../../core/containers/container-runtime';
import type { CoreContext } from '../../../core/core-context';
import { createGatewayService, type GatewayService } from '../../../core/gateway/gateway-service';
import { type ApprovalsService } from '../../../core/governance/approvals/approvals-service';
import { createGovernance, type GovernanceServices } from '../../../core/governance/create-governance';
import type { SchedulerOptions } from '../../../core/manager/scheduler-options';
import { createOrchestrator, type Orchestrator } from '../../../core/orchestrator';
import { createCallRecorder } from '../../../core/replay/call-recorder';
import type { Employee } from '../../../core/workforce/employee';
import { createEmployeeRegistry, type EmployeeRegistry } from '../../../core/workforce/employee-registry';
import type { ModelProvider } from '../../../core/workforce/model-provider';
import type { BaseModelWorker, WorkerFactory } from '../../../core/workforce/worker';
import { createRunlogs } from '../../../core/workforce/workers/runlog';
import { withWorkspace } from '../../../core/workspace/with-workspace';
import { createChannelWorkers, isChannelEmployee } from '../employee-channel/channel-worker';

export interface AuraServices {
  employees: EmployeeRegistry;
  orchestrator: Orchestrator;
  governance: GovernanceServices;
  approvals: ApprovalsService;
  plannerModel?: ModelProvider;
  /** The model gateway CLI agents' own model calls go through (listening only when `gatewayListen` was given). */
  gateway: GatewayService;
  /** Its listener's origin, e.g. http://127.0.0.1:8010, when it listens. */
  gatewayUrl?: string;
  /** Stops the scheduler (running attempts get `graceMs`) and governance's background duties. */
  stop(graceMs?: number): Promise<void>;
}

export interface AuraServicesOptions {
  /** Workers for 'in-process' employees (tests and benchmarks only). */
  inProcess?: (employee: Employee) => BaseModelWorker;
  /** Default: Docker as configured (DOCKER_HOST); the server starts without it and tasks wait. */
  runtime?: ContainerRuntime;
  /** The planner's model; without one the structural planner plans and chat_manager answers from the state. */
  plannerModel?: ModelProvider;
  scheduler?: Partial<SchedulerOptions>;
  /** Start the scheduler and governance's duties now (default true). */
  start?: boolean;
  /** Where the model gateway listens (aura serve: AURA_GATEWAY_HOST, AURA_GATEWAY_PORT); without it, grants are refused. */
  gatewayListen?: { host: string; port: number };
}

export async function openAuraServices(core: CoreContext, options: AuraServicesOptions = {}): Promise<AuraServices> {
  const { config, store, clock } = core;
  const employees = createEmployeeRegistry(core);
  const runtime = options.runtime ?? openContainerRuntime(config, core.logger).runtime;
  // Workspace and runlogs are shared: employees write them, the Auditor reads them.
  const workspace = createGitWorkspace({ workspacesDir: config.workspacesDir });
  const runlogs = createRunlogs({ store, snapshotsDir: config.snapshotsDir, clock });
  const recorder = createCallRecorder({ store, mode: config.recording, clock, logger: core.logger });
  // The planner and the reviewer are hired employees named in the settings; their calls are recorded like any other.
  const employeeModel = (name: string | undefined, role: string) => (name ? createEmployeeModel({ name, role, employees, deps: { logger: core.logger, recorder } }) : undefined);
  const plannerModel = options.plannerModel ?? employeeModel(config.plannerEmployee, 'planner');
  const reviewer = employeeModel(config.reviewerEmployee, 'reviewer');
  const governance = await createGovernance(core, { registry: employees, workspace, runtime, runlogs, reviewer });
  // The model gateway: CLI agents get a per-attempt token and base URLs from it (the worker factory hands it to them).
  const gateway = createGatewayService({ ...core, ledger: governance.ledger, caps: governance.caps, policies: governance.policies, recording: config.recording });
  const gatewayListener = options.gatewayListen ? await startGatewayListener({ service: gateway, ...options.gatewayListen, logger: core.logger.child({ component: 'gateway' }) }) : undefined;
  const atWork = assembleEmployeesAtWork({
    core,
    runtime,
    defaultImage: config.workerImage,
    governance: governance.port,
    commandGate: governance.commandGate,
    recorder,
    gateway,
    inProcess: options.inProcess,
    workspace,
    runlogs,
  });
  // External agents (a CLI agent with no command) work through the employee channel, each in its own worktree.
  const channel = createChannelWorkers({ store, logger: core.logger.child({ component: 'employee-channel' }) });
  const channelWorkers = withWorkspace(channel.factory, { workspace, logger: core.logger });
  const workers: WorkerFactory = (employee) => (isChannelEmployee(employee) ? channelWorkers(employee) : atWork.workers(employee));
  const orchestrator = createOrchestrator({
    core,
    workers,
    employees,
    governance: atWork.governance,
    planner: plannerModel,
    canRunNow: options.inProcess && !options.runtime ? undefined : atWork.canRunNow,
    options: options.scheduler,
  });
  const approvals = governance.connect(orchestrator);
  if (options.start ?? true) {
    await governance.enforcer.start();
    await orchestrator.start();
  }
  return {
    employees,
    orchestrator,
    governance,
    approvals,
    plannerModel,
    gateway,
    gatewayUrl: gatewayListener?.url,
    async stop(graceMs) {
      await orchestrator.stop(graceMs);
      // After the attempts: their grants are revoked and their calls' ledger rows written before the socket closes.
      await gateway.close();
      await gatewayListener?.close();
      await governance.enforcer.stop();
      await channel.close();
    },
  };
}
