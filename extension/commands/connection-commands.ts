// Commands on the connection: connect, start/stop the local orchestrator, set the token and API keys, refresh, show the log.
import * as vscode from 'vscode';
import { isLoopback } from '../connection/connection';
import { type ApiKeyProvider, apiKeyProviders } from '../secrets';
import type { CommandContext, CommandFactory } from './command-context';

/** Connects; when nothing answers on this machine, offers to start a local orchestrator. */
export async function connectOrOffer(ctx: CommandContext, interactive: boolean): Promise<void> {
  const failure = await ctx.connection.connect();
  if (!failure) return;
  const url = ctx.settings.serverUrl();
  // The offers are not awaited: connecting is done; a notification may wait for the person as long as it likes.
  if (failure === 'unauthorized') {
    void vscode.window.showWarningMessage(`The Aura server at ${url} refused the token.`, 'Set Token').then((pick) => pick && vscode.commands.executeCommand('aura.setToken'));
    return;
  }
  if (failure === 'unreachable' && isLoopback(url) && ctx.settings.offerLocalOrchestrator()) {
    void vscode.window.showInformationMessage(`No Aura orchestrator answers at ${url}. Start a local one?`, 'Start Local Orchestrator', 'Connect to Another Server…').then((pick) => {
      if (pick === 'Start Local Orchestrator') return vscode.commands.executeCommand('aura.startLocalOrchestrator');
      if (pick === 'Connect to Another Server…') return vscode.commands.executeCommand('workbench.action.openSettings', 'aura.serverUrl');
      return undefined;
    });
    return;
  }
  if (interactive) void vscode.window.showErrorMessage(`Aura: ${ctx.connection.detail}`);
}

const connect: CommandFactory = (ctx) => () => connectOrOffer(ctx, true);

const startLocal: CommandFactory = (ctx) => async () => {
  await ctx.local.start();
  void vscode.window.showInformationMessage(`Local Aura orchestrator running (${ctx.connection.state}).`);
};

const stopLocal: CommandFactory = (ctx) => async () => {
  if (!ctx.local.running) throw new Error('No local orchestrator started by this window is running.');
  await ctx.local.stop();
  void vscode.window.showInformationMessage('Local Aura orchestrator stopped.');
};

const setToken: CommandFactory = (ctx) => async () => {
  const url = ctx.settings.serverUrl();
  const token = await vscode.window.showInputBox({ title: `Token for ${new URL(url).origin}`, prompt: 'Create one with: aura tokens create --role director (leave empty to remove)', password: true, ignoreFocusOut: true });
  if (token === undefined) return;
  await ctx.secrets.setToken(url, token.trim() || undefined);
  await connectOrOffer(ctx, true);
};

const setApiKey: CommandFactory = (ctx) => async () => {
  const provider = (await vscode.window.showQuickPick(Object.keys(apiKeyProviders), { title: 'API key for which provider?' })) as ApiKeyProvider | undefined;
  if (!provider) return;
  const key = await vscode.window.showInputBox({ title: `${provider} API key`, prompt: `Kept in VS Code's secret storage; the local orchestrator receives it as ${apiKeyProviders[provider]}. Empty removes it.`, password: true, ignoreFocusOut: true });
  if (key === undefined) return;
  await ctx.secrets.setApiKey(provider, key.trim() || undefined);
  void vscode.window.showInformationMessage(key.trim() ? `${provider} API key saved${ctx.local.running ? '; restart the local orchestrator to use it' : ''}.` : `${provider} API key removed.`);
};

export const connectionCommands = {
  'aura.connect': connect,
  'aura.startLocalOrchestrator': startLocal,
  'aura.stopLocalOrchestrator': stopLocal,
  'aura.setToken': setToken,
  'aura.setApiKey': setApiKey,
  'aura.refresh': (ctx) => () => ctx.refreshAll(),
  'aura.showLog': (ctx) => () => ctx.log.show(true),
} satisfies Record<string, CommandFactory>;
