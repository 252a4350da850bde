// Wires employees into the Manager: the worker factory (workspaces included), merge-on-accept governance,
// and the "can run now?" gate that keeps tasks waiting while the container engine is away.
import type { ContainerRuntime } from '../core/containers/container-runtime';
import type { CoreContext } from '../core/core-context';
import type { ModelGateway } from '../core/gateway/model-gateway';
import type { Governance } from '../core/manager/governance-port';
import type { RunGate } from '../core/manager/scheduler';
import type { CallRecorder } from '../core/replay/call-recorder';
import type { Employee } from '../core/workforce/employee';
import type { SecretSources } from '../core/workforce/secret-ref';
import type { BaseModelWorker, WorkerFactory } from '../core/workforce/worker';
import type { CommandGate } from '../core/workforce/workers/attempt-container';
import { createEngineGate, type EngineGate } from '../core/workforce/workers/engine-gate';
import { createRunlogs, type Runlogs } from '../core/workforce/workers/runlog';
import { withMergeOnAccept } from '../core/workspace/merge-on-accept';
import type { Workspace } from '../core/workspace/workspace';
import { createGitWorkspace } from './git-workspace/git-workspace';
import type { CreateModelProviderDeps } from './model-providers';
import { createWorkerFactory } from './worker-factory';

export interface EmployeesAtWorkDeps {
  core: Pick<CoreContext, 'config' | 'store' | 'events' | 'logger' | 'clock'>;
  runtime: ContainerRuntime;
  /** AURA_WORKER_IMAGE. */
  defaultImage: string;
  /** The governance to extend (the Auditor and the rest); accepted attempts are merged after its verdict. */
  governance: Governance;
  recorder?: CallRecorder;
  /** The model gateway CLI-agent workers give their containers access to (a token and base URLs per attempt). */
  gateway?: ModelGateway;
  commandGate?: CommandGate;
  providerDeps?: CreateModelProviderDeps;
  secrets?: SecretSources;
  inProcess?: (employee: Employee) => BaseModelWorker;
  /** Default: a git workspace under $AURA_HOME/workspaces. */
  workspace?: Workspace;
  /** Default: runlogs in the store and under $AURA_HOME/snapshots. */
  runlogs?: Runlogs;
}

export interface EmployeesAtWork {
  /** For createOrchestrator({ workers }). */
  workers: WorkerFactory;
  /** For createOrchestrator({ governance }): the given governance, then the merge into aura/run-<id>. */
  governance: Governance;
  /** For createOrchestrator({ canRunNow }): closed while the container engine does not answer. */
  canRunNow: RunGate;
  workspace: Workspace;
  runlogs: Runlogs;
  engineGate: EngineGate;
}

export function assembleEmployeesAtWork(deps: EmployeesAtWorkDeps): EmployeesAtWork {
  const { core } = deps;
  const workspace = deps.workspace ?? createGitWorkspace({ workspacesDir: core.config.workspacesDir });
  const runlogs = deps.runlogs ?? createRunlogs({ store: core.store, snapshotsDir: core.config.snapshotsDir, clock: core.clock });
  const engineGate = createEngineGate(deps.runtime);
  const logger = core.logger.child({ component: 'employees' });
  const workers = createWorkerFactory({
    runtime: deps.runtime,
    defaultImage: deps.defaultImage,
    runlogs,
    workspace,
    events: core.events,
    logger,
    commandGate: deps.commandGate,
    providerDeps: { clock: core.clock, ...deps.providerDeps },
    recorder: deps.recorder,
    gateway: deps.gateway,
    secrets: deps.secrets,
    inProcess: deps.inProcess,
  });
  return {
    workers,
    governance: withMergeOnAccept(deps.governance, { workspace, logger }),
    // Every employee the product runs for real works in a container, so the engine is the gate for all work.
    canRunNow: () => engineGate.engineReady(),
    workspace,
    runlogs,
    engineGate,
  };
}
