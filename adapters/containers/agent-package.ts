// Installs a coding agent's npm registry package into a host cache folder, once per version, running none of its scripts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { AuraError } from '../../core/domain/errors';
import type { AgentPreset } from '../../core/workforce/agents/agent-preset';

const run = promisify(execFile);
const MARKER = '.aura-installed.json';

export interface InstalledAgent {
  /** <cacheDir>/<agent>/<version>: its node_modules is what the image gets. */
  dir: string;
  version: string;
  /** Whether it was installed now (false: the cache had it). */
  installed: boolean;
}

/** The npm child's environment: the host's, minus anything that would make npm ask or nag. */
function npmEnv(): NodeJS.ProcessEnv {
  return { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_yes: 'true' };
}

/** `latest` (or a tag) as the registry answers it now; an exact version as it is. */
export async function resolveAgentVersion(preset: AgentPreset, wanted: string | undefined): Promise<string> {
  const spec = wanted ?? preset.testedVersion;
  if (/^\d+\.\d+\.\d+([-+].*)?$/.test(spec)) return spec;
  try {
    const { stdout } = await run('npm', ['view', `${preset.package}@${spec}`, 'version', '--json'], { env: npmEnv(), timeout: 60_000 });
    const parsed: unknown = JSON.parse(stdout);
    const version = Array.isArray(parsed) ? parsed[parsed.length - 1] : parsed;
    if (typeof version !== 'string') throw new Error(`npm view answered ${stdout.trim().slice(0, 200)}`);
    return version;
  } catch (error) {
    throw new AuraError('unavailable', `Could not resolve ${preset.package}@${spec} on the npm registry: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Installs `package@version` into <cacheDir>/<agent>/<version> with --ignore-scripts (no code of the package runs on
 * the host), unless a finished install is there. A half-finished one (no marker) is removed and done again.
 */
export async function installAgentPackage(preset: AgentPreset, version: string, cacheDir: string): Promise<InstalledAgent> {
  const dir = path.join(path.resolve(cacheDir), preset.name, version);
  const marker = path.join(dir, MARKER);
  const binary = path.join(dir, 'node_modules', preset.bin.path);
  if (fs.existsSync(marker) && fs.existsSync(binary)) return { dir, version, installed: false };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  try {
    await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', '--no-save', `${preset.package}@${version}`], {
      env: npmEnv(),
      timeout: 15 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n').slice(-5).join(' ');
    throw new AuraError('unavailable', `npm install ${preset.package}@${version} failed: ${detail}`, { cause: error });
  }
  if (!fs.existsSync(binary)) {
    throw new AuraError('internal', `${preset.package}@${version} installed, but ${preset.bin.path} is not in it (is this platform one the package ships a binary for?)`);
  }
  fs.writeFileSync(marker, JSON.stringify({ package: preset.package, version, at: new Date().toISOString() }) + '\n');
  return { dir, version, installed: true };
}
