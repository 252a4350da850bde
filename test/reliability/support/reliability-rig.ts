// The reliability suite's rig: a database, one AURA_HOME shared by every `aura serve` of the test (their worktrees
// live there), the worker image, a CLI employee that takes 1.5 s per task and leaves a trace of each run in its
// file, and reads of what happened (events, containers, the run branch).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDockerRuntime, type DockerRuntime } from '../../../adapters/containers/docker-runtime';
import { buildWorkerImage, defaultWorkerImage, inspectImage } from '../../../adapters/containers/worker-image-build';
import { loadConfig } from '../../../core/config/config';
import type { CoreContext } from '../../../core/core-context';
import { createLogger } from '../../../core/observability/logger';
import { createOrchestrator, type Orchestrator } from '../../../core/orchestrator';
import { openCore } from '../../../mcp-server/app/open-core';
import { startServeGroup, type ServeProcess } from './serve-process';

export const AUDIT_KEY = 'reliability-audit-key-0123456789abcdef';

/**
 * The CLI employee (Node.js, inline): appends "start <attempt>" to its task's file, works 1.5 s, appends
 * "end <attempt>" and writes its result. A second run after finishing would leave a second "end" line.
 */
export const slowAgent = `const fs=require("fs"),p=require("path");const a=JSON.parse(fs.readFileSync(0,"utf8"));const t=a.task;
const f=p.join("/workspace",t.scope[0]);fs.mkdirSync(p.dirname(f),{recursive:true});fs.appendFileSync(f,"start "+a.attempt+"\\n");
setTimeout(()=>{fs.appendFileSync(f,"end "+a.attempt+"\\n");fs.writeFileSync(process.env.AURA_RESULT_FILE,JSON.stringify({status:"succeeded",summary:"did "+t.key}))},1500)`;

/** Stages of five tasks, each stage after the one before; every task writes out/<key>.txt and checks it. */
export function stagedPrd(stages: number, perStage = 5): string {
  const lines = ['# Reliability'];
  for (let s = 1; s <= stages; s++) {
    lines.push('', `## Stage ${s}${s > 1 ? ` (after Stage ${s - 1})` : ''}`);
    for (let i = 1; i <= perStage; i++) lines.push(`- [s${s}t${i}] Task ${i} of stage ${s} (scope: out/s${s}t${i}.txt)`, `  - \`grep -q "^end" out/s${s}t${i}.txt\``);
  }
  return lines.join('\n') + '\n';
}

export interface ReliabilityRig {
  home: string;
  core: CoreContext;
  runtime: DockerRuntime;
  orchestrator: Orchestrator;
  repo: string;
  /** Starts an `aura serve` (its own variables on top of the rig's, e.g. another DOCKER_HOST). */
  serve(name: string, env?: Record<string, string>): Promise<ServeProcess>;
  /** The Manager (lease owner) of a serve process, once it registered. */
  ownerOf(serve: ServeProcess): Promise<string | null>;
  git(...args: string[]): string;
  containersOf(runId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startReliabilityRig(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<ReliabilityRig> {
  const dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const runtime = createDockerRuntime({ dockerHost });
  if (!(await runtime.ping()).ok) throw new Error(`The reliability suite needs a Docker engine at ${dockerHost}.`);
  if (!(await inspectImage(runtime.engine, defaultWorkerImage))) await buildWorkerImage(runtime.engine, { image: defaultWorkerImage });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-reliability-'));
  const env = { AURA_HOME: home, DATABASE_URL: databaseUrl, DOCKER_HOST: dockerHost, AURA_AUDIT_KEY: AUDIT_KEY, AURA_MAX_MODEL_CONTAINERS: '3', AURA_LOG_LEVEL: 'info', ...extraEnv };
  const config = loadConfig(env);
  const core = await openCore({ config, logger: createLogger({ service: 'reliability-test', level: 'warn', destination: 'stderr' }) });
  // Only for submitting and reading: this process never starts a scheduler.
  const orchestrator = createOrchestrator({ core, workers: () => { throw new Error('the test process runs no employees'); } });
  await orchestrator.employees.hire({ name: 'slow-agent', provider: 'cli', model: 'node-script', command: ['node', '-e', slowAgent], maxConcurrent: 3 }, 'director');
  const gitEnv = { PATH: process.env.PATH!, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const repo = path.join(home, 'repo');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: gitEnv }).trim();
  fs.mkdirSync(repo);
  git('init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(repo, 'README.md'), '# reliability\n');
  git('add', '.');
  git('-c', 'user.name=Director', '-c', 'user.email=director@example.invalid', 'commit', '-qm', 'start');
  const started: ServeProcess[] = [];
  return {
    home,
    core,
    runtime,
    orchestrator,
    repo,
    async serve(name, own = {}) {
      const s = await startServeGroup({ ...env, ...own }, path.join(home, 'test-logs'), name);
      started.push(s);
      await s.up;
      return s;
    },
    async ownerOf(serve) {
      return (await core.store.query<{ owner: string }>('SELECT owner FROM aura.managers WHERE pid = $1', [serve.pid])).rows[0]?.owner ?? null;
    },
    git,
    async containersOf(runId) {
      return (await runtime.listByLabels({ 'aura.run': runId })).length;
    },
    async close() {
      for (const s of started) s.signal('SIGKILL');
      await Promise.all(started.map((s) => s.exited));
      await core.store.close();
    },
  };
}
