// The composition root's WorkerFactory: picks the worker for an employee's provider and gives it a worktree.
import type { ContainerRuntime } from '../core/containers/container-runtime';
import { AuraError } from '../core/domain/errors';
import type { EventLog } from '../core/events/event-log';
import type { ModelGateway } from '../core/gateway/model-gateway';
import type { Logger } from '../core/observability/logger';
import type { CallRecorder } from '../core/replay/call-recorder';
import type { Employee } from '../core/workforce/employee';
import type { ModelProvider } from '../core/workforce/model-provider';
import type { SecretSources } from '../core/workforce/secret-ref';
import type { BaseModelWorker, WorkerFactory } from '../core/workforce/worker';
import type { CommandGate } from '../core/workforce/workers/attempt-container';
import { createCliAgentWorker } from '../core/workforce/workers/cli-agent-worker';
import { createModelWorker } from '../core/workforce/workers/model-worker';
import type { Runlogs } from '../core/workforce/workers/runlog';
import { withWorkspace } from '../core/workspace/with-workspace';
import type { Workspace } from '../core/workspace/workspace';
import { createModelProvider, type CreateModelProviderDeps } from './model-providers';

export interface WorkerFactoryDeps {
  runtime: ContainerRuntime;
  /** The image employees run in unless their profile names one (AURA_WORKER_IMAGE). */
  defaultImage: string;
  runlogs: Runlogs;
  /** When given, every attempt works in its own worktree of the run's repository. */
  workspace?: Workspace;
  events?: EventLog;
  logger?: Logger;
  /** Policy check before each command and file change inside a container. */
  commandGate?: CommandGate;
  /** How model providers are built (secrets, retry policy, clock). */
  providerDeps?: CreateModelProviderDeps;
  /** Records every model call and every command (recording mode 'record'), or serves model calls back ('replay'). */
  recorder?: CallRecorder;
  /** Overrides how a model employee's provider is made (default: the adapter for its provider). */
  providerFor?: (employee: Employee) => ModelProvider;
  /** The model gateway: a CLI agent's container gets a per-attempt token and base URLs from it, never the key. */
  gateway?: ModelGateway;
  /** Where CLI agents' apiKeyRef is resolved (default: the server's environment and files). */
  secrets?: SecretSources;
  /** Workers for 'in-process' employees (tests and benchmarks); without it such employees are refused. */
  inProcess?: (employee: Employee) => BaseModelWorker;
  /** Answers per model attempt (default 3). */
  maxRounds?: number;
}

export function createWorkerFactory(deps: WorkerFactoryDeps): WorkerFactory {
  const env = { runtime: deps.runtime, defaultImage: deps.defaultImage, events: deps.events, commandGate: deps.commandGate, logger: deps.logger, recorder: deps.recorder };
  const build = (employee: Employee): BaseModelWorker => {
    switch (employee.profile.provider) {
      case 'cli':
        return createCliAgentWorker({ ...env, employee, runlogs: deps.runlogs, secrets: deps.secrets, gateway: deps.gateway });
      case 'openai':
      case 'ollama':
      case 'gemini': {
        const provider = deps.providerFor?.(employee) ?? createModelProvider(employee.profile, { logger: deps.logger, recorder: deps.recorder, ...deps.providerDeps });
        return createModelWorker({ ...env, employee, provider, runlogs: deps.runlogs, maxRounds: deps.maxRounds });
      }
      case 'in-process':
        if (deps.inProcess) return deps.inProcess(employee);
        throw new AuraError('invalid_input', `Employee "${employee.profile.name}" is in-process, which only tests and benchmarks can run.`);
    }
  };
  const factory: WorkerFactory = deps.workspace ? withWorkspace(build, { workspace: deps.workspace, logger: deps.logger }) : build;
  // One worker per employee (and profile), so that cancel(taskId) reaches the worker running that task.
  const workers = new Map<string, { fingerprint: string; worker: BaseModelWorker }>();
  return (employee) => {
    const fingerprint = JSON.stringify(employee.profile);
    const known = workers.get(employee.id);
    if (known && known.fingerprint === fingerprint) return known.worker;
    const worker = factory(employee);
    workers.set(employee.id, { fingerprint, worker });
    return worker;
  };
}
