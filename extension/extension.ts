// The extension's composition root: builds the log, settings, secrets, connection, views, commands and status bar once.
import * as vscode from 'vscode';
import { approvalCommands } from './commands/approval-commands';
import { type CommandContext, registerCommands } from './commands/command-context';
import { connectionCommands, connectOrOffer } from './commands/connection-commands';
import { employeeCommands } from './commands/employee-commands';
import { memoryCommands } from './commands/memory-commands';
import { runCommands } from './commands/run-commands';
import { taskCommands } from './commands/task-commands';
import { createConnection } from './connection/connection';
import { createLocalController, type LocalController } from './connection/local-controller';
import { createLog, errorText } from './log';
import { MemoryDocuments } from './memory/memory-documents';
import { MEMORY_SCHEME } from './memory/memory-uri';
import { createSecrets } from './secrets';
import { createSettings, onSettingsChanged } from './settings';
import { createStatusBar } from './status-bar';
import { ApprovalsTree } from './views/approvals-tree';
import { DeadLettersTree } from './views/dead-letters-tree';
import { EmployeesTree } from './views/employees-tree';
import { MemoryTree } from './views/memory-tree';
import { RunsTree } from './views/runs-tree';
import { createDashboardPanel } from './webview/dashboard-panel';

/** What tests in the extension host reach through `vscode.extensions.getExtension(...).exports`. */
export interface AuraExtensionApi {
  context: CommandContext;
}

let local: LocalController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<AuraExtensionApi | undefined> {
  const log = createLog();
  context.subscriptions.push(log);
  try {
    return build(context, log);
  } catch (error) {
    // VS Code only logs a failed activation; the Director must see it.
    log.error(`activation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void vscode.window.showErrorMessage(`Aura Orchestra failed to start: ${errorText(error)}`, 'Show Log').then((pick) => pick && log.show());
    return undefined;
  }
}

function build(context: vscode.ExtensionContext, log: ReturnType<typeof createLog>): AuraExtensionApi {
  const settings = createSettings();
  const secrets = createSecrets(context.secrets);
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const connection = createConnection({ url: () => settings.serverUrl(), token: (url) => secrets.token(url), clientVersion: version, log: (l) => log.info(l) });
  context.subscriptions.push({ dispose: () => void connection.dispose() });

  const runs = new RunsTree(connection, log);
  const approvals = new ApprovalsTree(connection, log);
  const employees = new EmployeesTree(connection, log);
  const deadLetters = new DeadLettersTree(connection, log);
  const approvalsView = vscode.window.createTreeView('aura.approvals', { treeDataProvider: approvals });
  context.subscriptions.push(
    runs,
    approvals,
    employees,
    deadLetters,
    approvalsView,
    vscode.window.createTreeView('aura.runs', { treeDataProvider: runs, showCollapseAll: true }),
    vscode.window.createTreeView('aura.employees', { treeDataProvider: employees }),
    vscode.window.createTreeView('aura.deadLetters', { treeDataProvider: deadLetters }),
  );
  // Memory: a view by scope, entries edited as Markdown documents (each save a new version).
  const memory = new MemoryTree(connection, log);
  const memoryDocuments = new MemoryDocuments(connection);
  context.subscriptions.push(memory, memoryDocuments, vscode.window.createTreeView('aura.memory', { treeDataProvider: memory }), vscode.workspace.registerFileSystemProvider(MEMORY_SCHEME, memoryDocuments, { isCaseSensitive: true }));

  local = createLocalController(context, { settings, secrets, connection, log });
  context.subscriptions.push(local);
  const dashboard = createDashboardPanel(context, connection, log);
  context.subscriptions.push(dashboard);

  const statusBar = createStatusBar();
  context.subscriptions.push(statusBar.item);
  let runningTasks = 0;
  const updateStatus = () =>
    statusBar.update({ state: connection.state, detail: connection.detail, runningTasks, pendingApprovals: approvals.pending, local: Boolean(local?.running) });
  runs.onDidLoad((figures) => {
    runningTasks = figures.runningTasks;
    updateStatus();
  });
  approvals.onDidChangeCount((n) => {
    approvalsView.badge = n ? { value: n, tooltip: `${n} pending approval${n === 1 ? '' : 's'}` } : undefined;
    updateStatus();
  });

  const refreshAll = () => [runs, approvals, employees, deadLetters, memory].forEach((t) => t.refresh());
  const offState = connection.onState((state) => {
    void vscode.commands.executeCommand('setContext', 'aura.connected', state === 'connected');
    if (state !== 'connected') {
      runs.forgetSubscriptions();
      approvals.setCount(0);
    } else {
      void connection.client().subscribe('aura://employees').catch((e) => log.warn(`subscribe aura://employees: ${errorText(e)}`));
      // Any memory write updates every memory:// subscription, so one keeps the whole Memory view current.
      if (connection.client().hasTool('memory_list')) void connection.client().subscribe('memory://project/default').catch((e) => log.warn(`subscribe memory: ${errorText(e)}`));
    }
    refreshAll();
    updateStatus();
  });
  const offUpdated = connection.onUpdated((uri) => {
    if (uri.startsWith('aura://employees')) employees.refresh();
    else if (uri.startsWith('memory://')) memory.refresh();
    else refreshAll(); // a run or task changed: its tree, approvals and dead letters may all move
  });
  const offList = connection.onListChanged(refreshAll);
  context.subscriptions.push({ dispose: () => [offState, offUpdated, offList].forEach((off) => off()) });

  const ctx: CommandContext = { extension: context, connection, local, settings, secrets, log, dashboard, trees: { runs, approvals, employees, deadLetters }, refreshAll };
  context.subscriptions.push(
    ...registerCommands(ctx, { ...connectionCommands, ...runCommands, ...taskCommands, ...approvalCommands, ...employeeCommands, ...memoryCommands }),
    onSettingsChanged(() => {
      log.info('settings changed; reconnecting');
      void connectOrOffer(ctx, false);
    }),
  );
  updateStatus();
  void vscode.commands.executeCommand('setContext', 'aura.connected', false);
  log.info(`Aura Orchestra ${version} activated; server ${settings.serverUrl()}`);
  if (settings.autoConnect()) void connectOrOffer(ctx, false).catch((e) => log.error(`connect: ${errorText(e)}`));
  return { context: ctx };
}

export async function deactivate(): Promise<void> {
  // The local orchestrator is this window's child: stop it before the extension host goes away.
  await local?.stop().catch(() => undefined); // nothing more can be done while shutting down
}
