// Runs the git CLI with an allow-listed environment and settings that keep a repository's hooks and helpers out.
import { spawn } from 'node:child_process';
import { AuraError } from '../../core/domain/errors';

export interface GitOptions {
  cwd?: string;
  /** Extra variables (identity of an author); nothing else of the parent's environment reaches git. */
  env?: Record<string, string>;
  input?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  okCodes?: readonly number[];
  timeoutMs?: number;
  /** Stops reading output past this many bytes (the rest is dropped and `truncated` is set). */
  maxOutputBytes?: number;
}

export interface GitOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
  truncated: boolean;
}

/**
 * Settings given on every call: no hooks, no fsmonitor helper, no signing prompts, no line-ending rewrites,
 * no background gc. A repository's own configuration cannot make the host run a program through these.
 */
const safetySettings = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.untrackedCache=false',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'core.autocrlf=false',
  'core.quotePath=false',
  'gc.auto=0',
  'maintenance.auto=false',
].flatMap((s) => ['-c', s]);

/** Only these of the parent's variables reach git; user and system configuration are not read. */
function gitEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
    ...extra,
  };
}

export function runGit(args: readonly string[], options: GitOptions = {}): Promise<GitOutput> {
  const { cwd, env, input, okCodes = [0], timeoutMs = 120_000, maxOutputBytes = 32 * 1024 * 1024 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...safetySettings, ...args], { cwd, env: gitEnvironment(env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let truncated = false;
    const collect = (into: Buffer[], chunk: Buffer) => {
      if (outBytes + chunk.length > maxOutputBytes) {
        truncated = true;
        chunk = chunk.subarray(0, Math.max(0, maxOutputBytes - outBytes));
      }
      outBytes += chunk.length;
      if (chunk.length) into.push(chunk);
    };
    child.stdout.on('data', (c: Buffer) => collect(out, c));
    child.stderr.on('data', (c: Buffer) => collect(err, c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new AuraError('unavailable', `Cannot run git: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1, truncated };
      if (signal) return reject(new AuraError('timeout', `git ${args[0]} did not finish within ${timeoutMs} ms.`));
      if (!okCodes.includes(result.exitCode)) {
        return reject(new AuraError('internal', `git ${args.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`, { details: { exitCode: result.exitCode } }));
      }
      resolve(result);
    });
    child.stdin.on('error', () => undefined); // git may exit before reading its input; the exit code says what happened.
    child.stdin.end(input ?? '');
  });
}

/** Runs git and returns its standard output without the trailing newline. */
export async function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  return (await runGit(args, options)).stdout.replace(/\n$/, '');
}

/** Splits NUL-separated output (`-z`) into its non-empty items. */
export function splitNul(output: string): string[] {
  return output.split('\0').filter((s) => s.length > 0);
}
