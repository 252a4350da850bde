// Daemons the end-to-end suites start: detached in their own process group, logged to a file, stopped by group.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const STATE = process.env.AURA_TEST_STATE ?? path.join(ROOT, '.test-cache');
export const LOGS = path.join(STATE, 'logs');

export interface Daemon {
  name: string;
  pgid: number;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

export { freePort } from '../../support/cli';

/** Starts a command in a new session (its own process group), output to $AURA_TEST_STATE/logs/<name>.log. */
export function startDaemon(name: string, command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Daemon {
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `${name}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pgid = child.pid!;
  // If this process dies first, stop-daemons.sh still finds the group.
  fs.appendFileSync(path.join(STATE, 'daemons.pgids'), `${pgid} ${name}\n`);
  let stopped: Promise<void> | undefined;
  return {
    name,
    pgid,
    child,
    logFile,
    stop() {
      stopped ??= (async () => {
        if (!alive(pgid)) return;
        signalGroup(pgid, 'SIGTERM');
        const deadline = Date.now() + 8000;
        while (alive(pgid) && Date.now() < deadline) await sleep(100);
        if (alive(pgid)) signalGroup(pgid, 'SIGKILL');
        while (alive(pgid) && Date.now() < deadline + 2000) await sleep(50);
      })();
      return stopped;
    },
  };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

function alive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a URL until it answers 2xx (bounded), naming the daemon's log when it does not. */
export async function waitHttp(url: string, timeoutMs: number, daemon?: Daemon): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (daemon && daemon.child.exitCode !== null) throw new Error(`${daemon.name} exited (${daemon.child.exitCode}); log: ${tail(daemon.logFile)}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms${daemon ? `; log: ${tail(daemon.logFile)}` : ''}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
