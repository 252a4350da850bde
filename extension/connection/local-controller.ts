// Starting and stopping the local orchestrator from VS Code: where it lives, its ports, its secrets, and reconnecting to it.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../log';
import type { Secrets } from '../secrets';
import type { Settings } from '../settings';
import type { Connection } from './connection';
import { isLoopback } from './connection';
import { createLocalOrchestrator, type LocalOrchestrator, localTokenFile, readLocalToken } from './local-orchestrator';

export interface LocalController extends vscode.Disposable {
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createLocalController(context: vscode.ExtensionContext, deps: { settings: Settings; secrets: Secrets; connection: Connection; log: Log }): LocalController {
  let orchestrator: LocalOrchestrator | undefined;
  const setRunning = (running: boolean) => void vscode.commands.executeCommand('setContext', 'aura.localRunning', running);

  return {
    get running() {
      return Boolean(orchestrator?.running);
    },
    async start() {
      if (orchestrator?.running) return;
      const url = new URL(deps.settings.serverUrl());
      if (!isLoopback(url.toString())) throw new Error(`The server URL (${url}) is not on this machine; set aura.serverUrl to http://127.0.0.1:PORT/mcp to run a local orchestrator.`);
      const home = deps.settings.localHome() ?? path.join(context.globalStorageUri.fsPath, 'aura-home');
      const local = createLocalOrchestrator({
        auraJs: path.join(context.extensionUri.fsPath, 'dist', 'aura.js'),
        home,
        host: '127.0.0.1',
        mcpPort: Number(url.port || 80),
        apiPort: deps.settings.localApiPort(),
        uiPort: deps.settings.localUiPort(),
        env: await deps.secrets.apiKeyEnv(),
        log: (line) => deps.log.info(line),
      });
      local.onExit((code) => {
        setRunning(false);
        void vscode.window.showWarningMessage(`The local Aura orchestrator stopped (exit code ${code}). See the "Aura Orchestra" output for why.`);
      });
      orchestrator = local;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local Aura orchestrator…' }, () => local.start());
      setRunning(true);
      // `aura serve` writes a fresh Director token (0600) for the local processes that started it.
      const token = readLocalToken(home);
      if (token) await deps.secrets.setToken(url.toString(), token);
      else deps.log.warn(`the local orchestrator wrote no token at ${localTokenFile(home)}; connecting without one`);
      await deps.connection.connect();
    },
    async stop() {
      const local = orchestrator;
      if (!local) return;
      await deps.connection.disconnect();
      await local.stop();
      orchestrator = undefined;
      setRunning(false);
    },
    dispose() {
      // Deactivation: the child must not outlive the window that owns it.
      void orchestrator?.stop();
    },
  };
}
