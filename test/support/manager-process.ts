// A Manager in a child process, for crash tests: spawnManager() starts one (detached, logging to a file) that
// runs the orchestrator over PostgreSQL with in-process employees; each attempt applies one effect under its
// idempotency key (public.crash_effects), then works for a while. The parent SIGKILLs it whenever it likes.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { createLogger } from '../../core/observability/logger';
import { createOrchestrator } from '../../core/orchestrator';
import { behaviours, createInProcessWorkforce, testCore } from './in-process-workers';

export interface ManagerProcessConfig {
  databaseUrl: string;
  owner: string;
  /** How long each attempt works after applying its effect (ms). */
  workMs: number;
  leaseMs: number;
  concurrency: number;
  /** The leader's sweep (default 100 ms here; omit-able to test the product's default with `null`). */
  sweepMs?: number | null;
}

export interface ManagerProcess {
  pid: number;
  owner: string;
  logFile: string;
  /** Resolves once the child's scheduler has started. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

const logsDir = () => path.join(process.env.AURA_TEST_STATE ?? os.tmpdir(), 'logs');

export function spawnManager(config: ManagerProcessConfig): ManagerProcess {
  fs.mkdirSync(logsDir(), { recursive: true });
  const logFile = path.join(logsDir(), `manager-${config.owner}.log`);
  const log = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['--require', 'tsx/cjs', __filename, JSON.stringify(config)], {
    cwd: path.join(__dirname, '..', '..'),
    detached: true,
    stdio: ['ignore', 'pipe', log],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), NODE_OPTIONS: '' },
  });
  fs.closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve();
    });
    void exited.then(({ code, signal }) => reject(new Error(`manager ${config.owner} exited (${code ?? signal}) before it was ready; see ${logFile}`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    owner: config.owner,
    logFile,
    ready,
    exited,
    kill(signal = 'SIGKILL') {
      try {
        // The child leads its own process group (detached): the group goes with it.
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    },
  };
}

async function main(config: ManagerProcessConfig): Promise<void> {
  const logger = createLogger({ service: `manager-${config.owner}`, level: 'info', destination: 'stderr' });
  const store = await openPgStore({ url: config.databaseUrl, max: 6, logger, applicationName: `aura-${config.owner}` });
  const core = testCore(store, { logger });
  let orchestrator!: ReturnType<typeof createOrchestrator>;
  const workforce = createInProcessWorkforce(() => async (a, context) => {
    await orchestrator.idempotency.applyOnce({ key: a.idempotencyKey, effect: 'effect', runId: a.runId, taskId: a.taskId, attempt: a.attempt }, (tx) =>
      tx.query('INSERT INTO public.crash_effects (task_id, key, owner) VALUES ($1, $2, $3)', [a.taskId, a.idempotencyKey, config.owner]),
    );
    return behaviours.after(config.workMs, behaviours.succeed())(a, context);
  });
  orchestrator = createOrchestrator({
    core,
    workers: workforce.factory,
    options: { owner: config.owner, concurrency: config.concurrency, leaseMs: config.leaseMs, pollMs: 200, ...(config.sweepMs === null ? {} : { sweepMs: config.sweepMs ?? 100 }), employeeRefreshMs: 0, stopGraceMs: 0 },
  });
  await orchestrator.start();
  process.stdout.write('ready\n');
  const stop = async () => {
    await orchestrator.stop(0);
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]!) as ManagerProcessConfig).catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
