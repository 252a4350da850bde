// A local orchestrator the extension owns: `aura serve` on the embedded database as a child process, started and stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface LocalOrchestratorOptions {
  /** The bundled CLI (dist/aura.js). */
  auraJs: string;
  /** AURA_HOME of the local orchestrator (its embedded database lives below it). */
  home: string;
  host: string;
  apiPort: number;
  mcpPort: number;
  uiPort: number;
  /** Extra environment (API keys from SecretStorage); never logged. */
  env?: Record<string, string>;
  /** The Node binary; in VS Code's extension host this is Electron, run as Node. */
  nodePath?: string;
  log: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface LocalOrchestrator {
  readonly running: boolean;
  readonly pid: number | undefined;
  readonly urls: { api: string; mcp: string; ui: string };
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Called when the process ends on its own (not through stop()). */
  onExit(listener: (code: number | null) => void): () => void;
}

/** Only these variables of the extension host's environment reach the child (plus AURA_* set here). */
const inheritedEnv = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ', 'DOCKER_HOST', 'SYSTEMROOT', 'APPDATA', 'LOCALAPPDATA'];

export function childEnv(options: LocalOrchestratorOptions, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of inheritedEnv) if (parent[name]) env[name] = parent[name]!;
  Object.assign(env, options.env ?? {});
  env.ELECTRON_RUN_AS_NODE = '1';
  env.AURA_HOME = options.home;
  env.AURA_HOST = options.host;
  env.AURA_API_PORT = String(options.apiPort);
  env.AURA_MCP_PORT = String(options.mcpPort);
  env.AURA_UI_PORT = String(options.uiPort);
  return env;
}

/** Where `aura serve` leaves the Director token of the processes on this machine. */
export function localTokenFile(home: string): string {
  return path.join(home, 'secrets', 'mcp-local.token');
}

export function readLocalToken(home: string): string | undefined {
  try {
    return fs.readFileSync(localTokenFile(home), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function createLocalOrchestrator(options: LocalOrchestratorOptions): LocalOrchestrator {
  let child: ChildProcess | undefined;
  let stopping = false;
  const exitListeners = new Set<(code: number | null) => void>();
  const urls = {
    api: `http://${options.host}:${options.apiPort}`,
    mcp: `http://${options.host}:${options.mcpPort}/mcp`,
    ui: `http://${options.host}:${options.uiPort}`,
  };

  /** Ready when the child has written $AURA_HOME/serve.json (after all its listeners are up) with its own pid. */
  async function waitReady(proc: ChildProcess, recent: string[]): Promise<void> {
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const stateFile = path.join(options.home, 'serve.json');
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`aura serve exited (code ${proc.exitCode}) before it was ready: ${recent.slice(-5).join(' | ') || 'no output'}`);
      }
      try {
        if (JSON.parse(fs.readFileSync(stateFile, 'utf8')).pid === proc.pid) return;
      } catch {
        // Not written yet (or being written): look again shortly.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`aura serve did not become ready within ${timeoutMs / 1000}s: ${recent.slice(-5).join(' | ') || 'no output'}`);
  }

  return {
    get running() {
      return child !== undefined && child.exitCode === null;
    },
    get pid() {
      return child?.pid;
    },
    urls,
    async start() {
      if (child && child.exitCode === null) return;
      if (!fs.existsSync(options.auraJs)) throw new Error(`The bundled orchestrator is missing: ${options.auraJs}`);
      fs.mkdirSync(options.home, { recursive: true });
      stopping = false;
      const proc = spawn(options.nodePath ?? process.execPath, [options.auraJs, 'serve'], {
        cwd: options.home,
        env: childEnv(options),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      const recent: string[] = [];
      const onLine = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          recent.push(line.slice(0, 300));
          if (recent.length > 20) recent.shift();
          options.log(`[aura serve] ${line}`);
        }
      };
      proc.stdout?.on('data', onLine);
      proc.stderr?.on('data', onLine);
      proc.on('exit', (code, signal) => {
        options.log(`[aura serve] exited (code ${code}${signal ? `, signal ${signal}` : ''})`);
        if (child === proc) child = undefined;
        if (!stopping) exitListeners.forEach((l) => l(code));
      });
      options.log(`starting aura serve (pid ${proc.pid}, home ${options.home}, MCP ${urls.mcp})`);
      try {
        await waitReady(proc, recent);
      } catch (error) {
        await this.stop();
        throw error;
      }
    },
    async stop() {
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      stopping = true;
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const killed = await Promise.race([gone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
      if (!killed) {
        options.log('aura serve did not stop within 10s of SIGTERM; killing it');
        proc.kill('SIGKILL');
        await gone;
      }
      child = undefined;
    },
    onExit(listener) {
      exitListeners.add(listener);
      return () => void exitListeners.delete(listener);
    },
  };
}
