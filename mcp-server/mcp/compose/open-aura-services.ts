// The composition root's second half: employees at work, governance, notifications, memory, backups and the Manager (orchestrator), started together.
import { openBackups } from '../../../adapters/backup/open-backups';
import { createEmployeeEmbedder } from '../../../adapters/employee-embedder';
import { createEmployeeModel } from '../../../adapters/employee-model';
import { startGatewayListener } from '../../../adapters/gateway/gateway-listener';
import { assembleEmployeesAtWork } from '../../../adapters/employees-at-work';
import { openContainerRuntime } from '../../../adapters/containers/open-container-runtime';
import { createConnectorFactory } from '../../../adapters/integrations/connector-factory';
import { createFetchWebhookSender } from '../../../adapters/notifications/fetch-webhook-sender';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import { createRepoFiles } from '../../../adapters/git-workspace/repo-files';
import { createBackupDuty } from '../../../core/backup/backup-duty';
import type { ContainerRuntime } from '../../../core/containers/container-runtime';
import type { CoreContext } from '../../../core/core-context';
import { createGatewayService, type GatewayService } from '../../../core/gateway/gateway-service';
import { type ApprovalsService } from '../../../core/governance/approvals/approvals-service';
import { createGovernance, type GovernanceServices } from '../../../core/governance/create-governance';
import type { SchedulerOptions } from '../../../core/manager/scheduler-options';
import { createIntegrations, type IntegrationsService } from '../../../core/integrations/integrations-service';
import { createNotifications, type NotificationsService } from '../../../core/notifications/notifications-service';
import type { NotifierOptions } from '../../../core/notifications/notifier';
import { createMemoryService, type MemoryService } from '../../../core/memory/memory-service';
import { createOrchestrator, type Orchestrator } from '../../../core/orchestrator';
import { createTemplateLibrary, findTemplatesDir, loadShippedTemplates, type TemplateLibrary } from '../../../core/templates/template-library';
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
  notifications: NotificationsService;
  /** Connectors to Jira, Slack and GitHub; their writes are approvals, run by the integration runner of any Manager. */
  integrations: IntegrationsService;
  templates: TemplateLibrary;
  plannerModel?: ModelProvider;
  /** The model gateway CLI agents' own model calls go through (listening only when `gatewayListen` was given). */
  gateway: GatewayService;
  /** Its listener's origin, e.g. http://127.0.0.1:8010, when it listens. */
  gatewayUrl?: string;
  memory: MemoryService;
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
  /** The notifier's timings and retry rules (tests shorten them). */
  notifier?: Partial<NotifierOptions>;
  /** Start the scheduler and governance's duties now (default true). */
  start?: boolean;
  /** Where the model gateway listens (aura serve: AURA_GATEWAY_HOST, AURA_GATEWAY_PORT); without it, grants are refused. */
  gatewayListen?: { host: string; port: number };
  /** Take the scheduled backups (AURA_BACKUP_CRON) while this Manager leads: aura serve does. */
  scheduledBackups?: boolean;
}

export async function openAuraServices(core: CoreContext, options: AuraServicesOptions = {}): Promise<AuraServices> {
  const { config, store, clock } = core;
  const employees = createEmployeeRegistry(core);
  const runtime = options.runtime ?? openContainerRuntime(config, core.logger).runtime;
  // Workspace and runlogs are shared: employees write them, the Auditor reads them.
  const workspace = createGitWorkspace({ workspacesDir: config.workspacesDir });
  const runlogs = createRunlogs({ store, snapshotsDir: config.snapshotsDir, clock });
  const recorder = createCallRecorder({ store, mode: config.recording, clock, logger: core.logger, events: core.events });
  // The planner and the reviewer are hired employees named in the settings; their calls are recorded like any other.
  const employeeModel = (name: string | undefined, role: string) => (name ? createEmployeeModel({ name, role, employees, deps: { logger: core.logger, recorder } }) : undefined);
  const plannerModel = options.plannerModel ?? employeeModel(config.plannerEmployee, 'planner');
  const reviewer = employeeModel(config.reviewerEmployee, 'reviewer');
  const governance = await createGovernance(core, { registry: employees, workspace, runtime, runlogs, reviewer });
  // The model gateway: CLI agents get a per-attempt token and base URLs from it (the worker factory hands it to them).
  const gateway = createGatewayService({ ...core, ledger: governance.ledger, caps: governance.caps, policies: governance.policies, recording: config.recording });
  const gatewayListener = options.gatewayListen ? await startGatewayListener({ service: gateway, ...options.gatewayListen, logger: core.logger.child({ component: 'gateway' }) }) : undefined;
  // Memory embeds through a hired employee too, when one is named; without it, search is by keyword.
  const embedder = config.memoryEmbeddingEmployee ? createEmployeeEmbedder({ name: config.memoryEmbeddingEmployee, employees, deps: { logger: core.logger } }) : undefined;
  const memory = createMemoryService(core, { embedder });
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
  const backups = options.scheduledBackups
    ? createBackupDuty({
        backups: openBackups({ config, signer: core.signer, clock, logger: core.logger, store, events: core.events }),
        cron: config.backupCron,
        store,
        logger: core.logger,
        actor: 'manager:backup',
        startedAt: clock.now(),
      })
    : undefined;
  const orchestrator = createOrchestrator({
    core,
    workers,
    employees,
    governance: atWork.governance,
    planner: plannerModel,
    repoFiles: createRepoFiles(workspace),
    workspace,
    canRunNow: options.inProcess && !options.runtime ? undefined : atWork.canRunNow,
    containers: options.inProcess && !options.runtime ? undefined : runtime,
    options: options.scheduler,
    backups,
    memory,
  });
  // External calls are recorded like model calls (replay serves them without calling out); writes go through the gates.
  const integrations = createIntegrations(core, { factory: createConnectorFactory({ workspace }), recorder });
  const approvals = governance.connect(orchestrator, {}, { integrations });
  const notifications = createNotifications(core, { sender: createFetchWebhookSender(), notifier: options.notifier });
  const templates = createTemplateLibrary({ store, events: core.events, clock, shipped: loadShippedTemplates(findTemplatesDir(__dirname)) });
  if (options.start ?? true) {
    await governance.enforcer.start();
    await notifications.notifier.start();
    await integrations.runner.start();
    await memory.start();
    await orchestrator.start();
  }
  return {
    employees,
    orchestrator,
    governance,
    approvals,
    notifications,
    integrations,
    templates,
    plannerModel,
    gateway,
    gatewayUrl: gatewayListener?.url,
    memory,
    async stop(graceMs) {
      await orchestrator.stop(graceMs);
      // After the attempts: their grants are revoked and their calls' ledger rows written before the socket closes.
      await gateway.close();
      await gatewayListener?.close();
      await memory.stop();
      await backups?.idle(); // a backup being written finishes (or its partial file is removed) before the store closes
      await governance.enforcer.stop();
      await notifications.notifier.stop();
      await integrations.runner.stop();
      await channel.close();
    },
  };
}
