// A whole orchestrator for the real agents: real PostgreSQL, real containers of the agents' images, the product's
// governance, the model gateway on a free port, and stand-ins for each provider holding the canary key.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createDockerRuntime, type DockerRuntime } from '../../adapters/containers/docker-runtime';
import { defaultWorkerImage, inspectImage } from '../../adapters/containers/worker-image-build';
import { assembleEmployeesAtWork } from '../../adapters/employees-at-work';
import { startGatewayListener, type GatewayListener } from '../../adapters/gateway/gateway-listener';
import { createGitWorkspace } from '../../adapters/git-workspace/git-workspace';
import { loadConfig } from '../../core/config/config';
import type { CoreContext } from '../../core/core-context';
import { createGatewayService, type GatewayService } from '../../core/gateway/gateway-service';
import { createGovernance, type GovernanceServices } from '../../core/governance/create-governance';
import type { Logger } from '../../core/observability/logger';
import { createOrchestrator, type Orchestrator } from '../../core/orchestrator';
import type { RecordingMode } from '../../core/replay/call-recorder';
import type { RunDetail } from '../../core/runs/run-queries';
import { agentImage, agentPreset } from '../../core/workforce/agents/agent-registry';
import type { AgentName } from '../../core/workforce/agents/agent-names';
import { createEmployeeRegistry } from '../../core/workforce/employee-registry';
import type { WorkerFactory } from '../../core/workforce/worker';
import { createRunlogs, type Runlogs } from '../../core/workforce/workers/runlog';
import type { Workspace } from '../../core/workspace/workspace';
import { openCore } from '../../mcp-server/app/open-core';
import { startAnthropicStandIn } from '../support/stand-ins/anthropic-stand-in';
import { startGeminiStandIn } from '../support/stand-ins/gemini-stand-in';
import { startOpenAIStandIn } from '../support/stand-ins/openai-stand-in';
import type { ProtocolRequest, Scripted, StandIn } from '../support/stand-ins/stand-in-server';
import { createPgDatabase, type TestDatabase } from '../support/stores';
import { agentConversation } from './agent-script';

export const KEY_ENV = 'AURA_AGENTS_TEST_KEY';

/** The models each agent is hired with (what the stand-ins see named). */
export const agentModels: Record<AgentName, string> = { 'claude-code': 'claude-sonnet-4-5', codex: 'gpt-5-codex', 'gemini-cli': 'gemini-2.5-flash', 'qwen-code': 'qwen3-coder-plus' };

export interface AgentRig {
  db: TestDatabase;
  home: string;
  canary: string;
  core: CoreContext;
  logLines: string[];
  runtime: DockerRuntime;
  standIns: Record<'anthropic' | 'openai' | 'gemini', StandIn>;
  gateway: GatewayService;
  listener: GatewayListener;
  governance: GovernanceServices;
  workspace: Workspace;
  runlogs: Runlogs;
  orchestrator: Orchestrator;
  /** A worker factory over another gateway on the same store, in `mode` (a replay in a later process), optionally on workspaces of its own. */
  workersWith(mode: RecordingMode, options?: { workspace?: Workspace }): Promise<WorkerFactory>;
  hire(agent: AgentName, extra?: Record<string, unknown>): Promise<string>;
  repo(name: string): string;
  git(repo: string, ...args: string[]): string;
  waitForRun(runId: string, statuses: readonly string[], timeoutMs?: number): Promise<RunDetail>;
  close(): Promise<void>;
}

export async function startAgentRig(agents: readonly AgentName[], options: { conversation?: (request: ProtocolRequest) => Scripted } = {}): Promise<AgentRig> {
  const conversation = options.conversation ?? agentConversation;
  const dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const runtime = createDockerRuntime({ dockerHost });
  if (!(await runtime.ping()).ok) throw new Error(`The agent suite needs a Docker engine at ${dockerHost}.`);
  for (const image of [defaultWorkerImage, ...agents.map((a) => agentImage(agentPreset(a)))]) {
    if (!(await inspectImage(runtime.engine, image))) throw new Error(`${image} is not built: test/suites/agents.sh builds it (aura images build --agent NAME).`);
  }
  const db = await createPgDatabase();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-agents-'));
  const canary = `canary-${randomBytes(16).toString('hex')}`;
  const secrets = { env: { [KEY_ENV]: canary } };
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }) as unknown as Logger;
  const config = loadConfig({ AURA_HOME: home, DATABASE_URL: db.url, DOCKER_HOST: dockerHost, AURA_AUDIT_KEY: 'agents-audit-key-0123456789abcdef', AURA_MAX_MODEL_CONTAINERS: '4', AURA_RECORDING: 'record' });
  const core = await openCore({ config, logger });
  // Each stand-in accepts only the real key: a call that reaches it with anything else (a gateway token) fails.
  const standIns = {
    anthropic: await startAnthropicStandIn({ apiKey: canary, fallback: conversation }),
    openai: await startOpenAIStandIn({ apiKey: canary, fallback: conversation }),
    gemini: await startGeminiStandIn({ apiKey: canary, fallback: conversation }),
  };
  const registry = createEmployeeRegistry({ store: core.store, events: core.events });
  const workspace = createGitWorkspace({ workspacesDir: config.workspacesDir });
  const runlogs = createRunlogs({ store: core.store, snapshotsDir: config.snapshotsDir });
  const governance = await createGovernance(core, { registry, workspace, runtime, runlogs, checkImage: defaultWorkerImage });
  const openGateway = async (mode: RecordingMode) => {
    const service = createGatewayService({ ...core, ledger: governance.ledger, caps: governance.caps, policies: governance.policies, recording: mode, secrets });
    const listener = await startGatewayListener({ service, host: '127.0.0.1', port: 0, logger });
    return { service, listener };
  };
  const opened = [await openGateway('record')];
  const { service: gateway, listener } = opened[0]!;
  const employees = assembleEmployeesAtWork({ core, runtime, defaultImage: defaultWorkerImage, governance: governance.port, commandGate: governance.commandGate, workspace, runlogs, gateway });
  const orchestrator = createOrchestrator({
    core,
    employees: registry,
    workers: employees.workers,
    governance: employees.governance,
    canRunNow: employees.canRunNow,
    options: { backoffMs: [300, 600, 1_200], pollMs: 100, leaseMs: 120_000, sweepMs: 500, employeeRefreshMs: 0 },
  });
  governance.connect(orchestrator);
  await orchestrator.start();
  const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { PATH: process.env.PATH!, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();
  const upstream = (agent: AgentName) => {
    const protocol = agentPreset(agent).protocol;
    return protocol === 'openai' ? `${standIns.openai.url}/v1` : standIns[protocol].url;
  };
  return {
    db, home, canary, core, logLines, runtime, standIns, gateway, listener, governance, workspace, runlogs, orchestrator, git,
    async workersWith(mode, own = {}) {
      const other = await openGateway(mode);
      opened.push(other);
      return assembleEmployeesAtWork({ core, runtime, defaultImage: defaultWorkerImage, governance: governance.port, commandGate: governance.commandGate, workspace: own.workspace ?? workspace, runlogs, gateway: other.service }).workers;
    },
    async hire(agent, extra = {}) {
      const profile = { name: `${agent}-${randomBytes(3).toString('hex')}`, provider: 'cli', agent, model: agentModels[agent], baseUrl: upstream(agent), apiKeyRef: `env:${KEY_ENV}`, skills: [agent], costTable: { inputPerMTok: 3, outputPerMTok: 15 }, limits: { memoryMb: 2048, cpus: 1, pids: 512, timeoutMs: 240_000 }, ...extra };
      return (await orchestrator.employees.hire(profile, 'director')).id;
    },
    repo(name) {
      const dir = path.join(home, name);
      fs.mkdirSync(dir);
      git(dir, 'init', '-q', '-b', 'main');
      fs.writeFileSync(path.join(dir, 'README.md'), `# ${name}\n`);
      git(dir, 'add', '.');
      git(dir, '-c', 'user.name=Director', '-c', 'user.email=director@example.invalid', 'commit', '-qm', 'start');
      return dir;
    },
    async waitForRun(runId, statuses, timeoutMs = 300_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const run = await orchestrator.runs.get(runId);
        if (statuses.includes(run.status)) return run;
        if (Date.now() > until) throw new Error(`run ${runId} is ${run.status}, not ${statuses.join('/')}: ${JSON.stringify(run.tasks.map((t) => [t.key, t.status, t.attempt, t.lastError]))}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async close() {
      await orchestrator.stop(1_000).catch(() => undefined);
      for (const { service, listener: l } of opened) {
        await service.close().catch(() => undefined);
        await l.close().catch(() => undefined);
      }
      for (const s of Object.values(standIns)) await s.close();
      await core.store.close();
      await db.drop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
