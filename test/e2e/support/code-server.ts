// code-server (a real VS Code 1.100 from npm) for the end-to-end suites: install the .vsix, start it headless, stop it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Daemon, freePort, ROOT, startDaemon, STATE, waitHttp } from './daemons';

export interface CodeServer {
  url: string;
  port: number;
  base: string;
  workspace: string;
  daemon: Daemon;
  stop(): Promise<void>;
}

export function codeServerBin(): string {
  const bin = process.env.AURA_CODE_SERVER ?? '/var/cache/aura-test/code-server-4.100.3/node_modules/.bin/code-server';
  if (!fs.existsSync(bin)) throw new Error(`code-server is not installed at ${bin}: run test/provision/30-vscode.sh`);
  return bin;
}

export const VSIX = path.join(ROOT, 'aura-orchestra.vsix');

/** A fresh code-server profile (user data, extensions, XDG dirs) with the packaged extension installed. */
export function prepareProfile(name: string, settings: Record<string, unknown>): { base: string; args: string[]; env: NodeJS.ProcessEnv; workspace: string } {
  const base = path.join(STATE, 'e2e', name);
  fs.rmSync(base, { recursive: true, force: true });
  for (const d of ['ud/User', 'exts', 'xdg-config', 'xdg-data', 'workspace', 'tmp']) fs.mkdirSync(path.join(base, d), { recursive: true });
  fs.writeFileSync(path.join(base, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  fs.writeFileSync(
    path.join(base, 'ud', 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'workbench.colorTheme': 'Default Dark Modern', 'git.openRepositoryInParentFolders': 'never', 'git.enabled': false, ...settings }, null, 2),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: path.join(base, 'tmp'),
    XDG_CONFIG_HOME: path.join(base, 'xdg-config'),
    XDG_DATA_HOME: path.join(base, 'xdg-data'),
    ...(process.env.AURA_E2E_RESULTS ? { AURA_E2E_RESULTS: process.env.AURA_E2E_RESULTS } : {}),
  };
  const args = ['--config', path.join(base, 'config.yaml'), '--user-data-dir', path.join(base, 'ud'), '--extensions-dir', path.join(base, 'exts')];
  return { base, args, env, workspace: path.join(base, 'workspace') };
}

export function installVsix(profile: { args: string[]; env: NodeJS.ProcessEnv }, vsix = VSIX): void {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  execFileSync(codeServerBin(), [...profile.args, '--install-extension', vsix, '--force'], { env: profile.env, stdio: 'pipe', timeout: 120_000 });
}

export async function startCodeServer(name: string, profile: { base: string; args: string[]; env: NodeJS.ProcessEnv; workspace: string }, extraEnv: NodeJS.ProcessEnv = {}): Promise<CodeServer> {
  const port = await freePort();
  const daemon = startDaemon(
    name,
    codeServerBin(),
    [...profile.args, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', profile.workspace],
    { env: { ...profile.env, ...extraEnv } },
  );
  await waitHttp(`http://127.0.0.1:${port}/healthz`, 60_000, daemon);
  return { url: `http://127.0.0.1:${port}`, port, base: profile.base, workspace: profile.workspace, daemon, stop: () => daemon.stop() };
}
