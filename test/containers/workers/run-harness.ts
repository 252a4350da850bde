// A whole orchestrator for end-to-end runs: real PostgreSQL, real containers (behind a proxy that can cut the
// engine off), the product's governance, git workspaces, an OpenAI-protocol stand-in for the model employee, captured logs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createDockerRuntime, type DockerRuntime } from '../../../adapters/containers/docker-runtime';
import { buildWorkerImage, defaultWorkerImage, inspectImage } from '../../../adapters/containers/worker-image-build';
import { assembleEmployeesAtWork, type EmployeesAtWork } from '../../../adapters/employees-at-work';
import { loadConfig } from '../../../core/config/config';
import type { CoreContext } from '../../../core/core-context';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import { createGovernance } from '../../../core/governance/create-governance';
import { createEmployeeRegistry } from '../../../core/workforce/employee-registry';
import { createRunlogs } from '../../../core/workforce/workers/runlog';
import type { SchedulerOptions } from '../../../core/manager/scheduler-options';
import type { Logger } from '../../../core/observability/logger';
import { createOrchestrator, type Orchestrator } from '../../../core/orchestrator';
import type { RunDetail } from '../../../core/runs/run-queries';
import { openCore } from '../../../mcp-server/app/open-core';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { ProtocolRequest, Scripted, StandIn } from '../../support/stand-ins/stand-in-server';
import { createPgDatabase, type TestDatabase } from '../../support/stores';
import { createEngineProxy, type EngineProxy } from '../support/engine-proxy';

export const MODEL_KEY = 'sk-e2e-model-key-4b3c2d1e0f9a8b7c';
export const AGENT_SECRET = 'agent-e2e-secret-9f8e7d6c5b4a3f2e';

/**
 * The stand-in's model: for any task prompt it plans to write "<task key> done" into the task's first scope path,
 * and to print its environment (so the runlog shows what the model's container had).
 */
export function plannedAnswer(request: ProtocolRequest): Scripted {
  const key = /^# Task (\S+): /m.exec(request.promptText)?.[1];
  const scope = /inside the task's scope: ([^\s,]+)[,.]/.exec(request.promptText)?.[1];
  if (!key || !scope) return { kind: 'error', status: 400, message: 'stand-in: no task in the prompt' };
  const actions = [
    { type: 'write_file', path: scope, content: `${key} done\n` },
    { type: 'run', command: 'env | sort' },
  ];
  return { kind: 'answer', text: JSON.stringify({ summary: `wrote ${scope}`, actions }), tokensIn: 300, tokensOut: 60 };
}

/** A CLI agent (Node.js, inline): writes "<key> done" into its first scope path and proves which key it holds. */
export const agentScript = `const fs=require("fs"),p=require("path"),c=require("crypto");const a=JSON.parse(fs.readFileSync(0,"utf8"));const t=a.task;
const h=(v)=>v===undefined?null:c.createHash("sha256").update(v).digest("hex");
if(t.description.includes("slow on the first attempt")&&a.attempt===1){setTimeout(()=>{},60000);return}
const work=()=>{const f=p.join("/workspace",t.scope[0]);fs.mkdirSync(p.dirname(f),{recursive:true});fs.writeFileSync(f,t.key+" done\\n");
fs.writeFileSync(process.env.AURA_RESULT_FILE,JSON.stringify({status:"succeeded",summary:"wrote "+t.scope[0],output:{apiKey:h(process.env.AURA_API_KEY),named:h(process.env.E2E_AGENT_KEY)}}))};
if(t.description.includes("takes two seconds"))setTimeout(work,2000);else work()`;

export interface RunRig {
  db: TestDatabase;
  home: string;
  core: CoreContext;
  logLines: string[];
  proxy: EngineProxy;
  runtime: DockerRuntime;
  standIn: StandIn;
  employees: EmployeesAtWork;
  orchestrator: Orchestrator;
  image: string;
  repo(name: string): string;
  git(repo: string, ...args: string[]): string;
  waitForRun(runId: string, statuses: readonly string[], timeoutMs?: number): Promise<RunDetail>;
  close(): Promise<void>;
}

export async function startRunRig(options: Partial<SchedulerOptions> = {}): Promise<RunRig> {
  const dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const image = defaultWorkerImage;
  const direct = createDockerRuntime({ dockerHost });
  if (!(await direct.ping()).ok) throw new Error(`The end-to-end runs need a Docker engine at ${dockerHost}.`);
  if (!(await inspectImage(direct.engine, image))) await buildWorkerImage(direct.engine, { image });
  const proxy = await createEngineProxy(dockerHost.replace(/^unix:\/\//, ''));
  const runtime = createDockerRuntime({ dockerHost: proxy.host });
  const db = await createPgDatabase();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-e2e-run-'));
  const logLines: string[] = [];
  const logger = pino({ level: 'debug', redact: { paths: ['apiKey', '*.apiKey', 'authorization', '*.authorization', 'secret', '*.secret'], censor: '[redacted]' } }, { write: (line: string) => void logLines.push(line) }) as unknown as Logger;
  const config = loadConfig({ AURA_HOME: home, DATABASE_URL: db.url, DOCKER_HOST: proxy.host, AURA_AUDIT_KEY: 'e2e-audit-key-0123456789abcdef', AURA_MAX_MODEL_CONTAINERS: '3' });
  const core = await openCore({ config, logger });
  const standIn = await startOpenAIStandIn({ apiKey: MODEL_KEY, fallback: plannedAnswer });
  // The product's own governance: the Auditor checks scope and runs the acceptance commands in fresh containers
  // before anything is merged; policies gate every command the employees run.
  const registry = createEmployeeRegistry({ store: core.store, events: core.events });
  const workspace = createGitWorkspace({ workspacesDir: config.workspacesDir });
  const runlogs = createRunlogs({ store: core.store, snapshotsDir: config.snapshotsDir });
  const governance = await createGovernance(core, { registry, workspace, runtime, runlogs, checkImage: image });
  const employees = assembleEmployeesAtWork({
    core,
    runtime,
    defaultImage: image,
    governance: governance.port,
    commandGate: governance.commandGate,
    workspace,
    runlogs,
    providerDeps: { secrets: { env: { E2E_MODEL_KEY: MODEL_KEY } }, retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200 } },
    secrets: { env: { E2E_AGENT_KEY: AGENT_SECRET } },
  });
  const orchestrator = createOrchestrator({
    core,
    employees: registry,
    workers: employees.workers,
    governance: employees.governance,
    canRunNow: employees.canRunNow,
    workspace,
    options: { backoffMs: [300, 600, 1_200], pollMs: 100, leaseMs: 20_000, sweepMs: 200, employeeRefreshMs: 0, ...options },
  });
  governance.connect(orchestrator);
  await orchestrator.start();
  const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { PATH: process.env.PATH!, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();
  return {
    db,
    home,
    core,
    logLines,
    proxy,
    runtime,
    standIn,
    employees,
    orchestrator,
    image,
    git,
    repo(name) {
      const dir = path.join(home, name);
      fs.mkdirSync(dir);
      git(dir, 'init', '-q', '-b', 'main');
      fs.writeFileSync(path.join(dir, 'README.md'), `# ${name}\n`);
      git(dir, 'add', '.');
      git(dir, '-c', 'user.name=Director', '-c', 'user.email=director@example.invalid', 'commit', '-qm', 'start');
      return dir;
    },
    async waitForRun(runId, statuses, timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const run = await orchestrator.runs.get(runId);
        if (statuses.includes(run.status)) return run;
        if (Date.now() > until) throw new Error(`run ${runId} is ${run.status}, not ${statuses.join('/')}: ${JSON.stringify(run.tasks.map((t) => [t.key, t.status, t.attempt, t.lastError]))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await orchestrator.stop(1_000).catch(() => undefined);
      await standIn.close();
      await proxy.restore().catch(() => undefined);
      await core.store.close();
      await db.drop();
      await proxy.cut().catch(() => undefined);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
