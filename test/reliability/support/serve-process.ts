// `aura serve` as a detached process group for the reliability suite: started with free ports, SIGKILLed as a
// whole group (as an operator's `kill -9` or a crash would), logs to a file, and told apart by its Manager name.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, childEnv, servePorts } from '../../support/cli';

export interface ServeProcess {
  pid: number;
  logFile: string;
  /** Resolves once it printed that it is up; rejects if it exits first. */
  up: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the whole process group. */
  signal(signal: NodeJS.Signals): void;
}

export async function startServeGroup(env: Record<string, string>, logDir: string, name: string): Promise<ServeProcess> {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['--require', 'tsx/cjs', CLI, 'serve'], {
    cwd: path.join(__dirname, '..', '..', '..'),
    detached: true,
    stdio: ['ignore', log, log],
    env: childEnv({ ...(await servePorts()), ...env }),
  });
  fs.closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const up = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (fs.readFileSync(logFile, 'utf8').includes('aura serve is up')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then(({ code, signal }) => {
      clearInterval(timer);
      reject(new Error(`aura serve (${name}) exited (${code ?? signal}) before it was up; see ${logFile}`));
    });
  });
  up.catch(() => undefined);
  const pid = child.pid!;
  return {
    pid,
    logFile,
    up,
    exited,
    signal(signal) {
      try {
        process.kill(-pid, signal);
      } catch {
        // Already gone.
      }
    },
  };
}
