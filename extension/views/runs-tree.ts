// The Runs view: each run with status, progress and cost; below it, its tasks. Subscribes to the runs it shows.
import * as vscode from 'vscode';
import { formatUsd, isFinished, parseList, progressOf, type Run, runSchema, stateGroup, type Task, taskSchema } from '../../webview-ui/protocol/aura-data';
import { AuraTree, type MessageNode, statusIcon } from './tree-base';

export type RunNode = { kind: 'run'; run: Run } | { kind: 'task'; task: Task; runId: string };

export class RunsTree extends AuraTree<RunNode> {
  protected readonly listTool = 'list_runs';
  private subscribed = new Set<string>();
  private readonly loaded = new vscode.EventEmitter<{ runningTasks: number }>();
  /** Fires after each load of the runs with figures for the status bar. */
  readonly onDidLoad = this.loaded.event;

  protected async roots(): Promise<RunNode[]> {
    const runs = parseList(await this.connection.call('list_runs', {}), 'runs', runSchema);
    // The list itself too, so a run started elsewhere (the CLI, another IDE, a replay) appears at once.
    await this.follow(['aura://runs', ...runs.filter((r) => !isFinished(r.status)).map((r) => `aura://runs/${r.id}`)]);
    const runningTasks = runs.reduce((n, r) => n + Number(r.progress?.running ?? (stateGroup(r.status) === 'running' ? 1 : 0)), 0);
    this.loaded.fire({ runningTasks });
    return runs.map((run) => ({ kind: 'run', run }));
  }

  protected override async children(node: RunNode): Promise<Array<RunNode | MessageNode>> {
    if (node.kind !== 'run') return [];
    const tasks = parseList(await this.connection.call('list_tasks', { runId: node.run.id }), 'tasks', taskSchema);
    if (!tasks.length) return [{ kind: 'message', text: 'No tasks yet (planning)' }];
    return tasks.map((task) => ({ kind: 'task', task, runId: node.run.id }));
  }

  protected item(node: RunNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const { run } = node;
      const p = progressOf(run);
      const item = new vscode.TreeItem(run.title, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `run:${run.id}`;
      item.description = `${run.replayOf ? 'Replaying · ' : ''}${run.status} · ${p.done}/${p.total} · ${formatUsd(run.costUsd)}`;
      item.tooltip = new vscode.MarkdownString(`**${run.title}**${run.replayOf ? `\n\nReplaying run \`${run.replayOf}\`: every call is served from its record` : ''}\n\nrun \`${run.id}\` · ${run.status}${run.statusReason ? ` (${run.statusReason})` : ''}\n\n${p.done} of ${p.total} tasks done · cost ${formatUsd(run.costUsd)}`);
      item.iconPath = statusIcon(stateGroup(run.status));
      item.contextValue = `run:${run.status}`;
      item.command = { command: 'aura.openDashboard', title: 'Open Dashboard', arguments: [{ runId: run.id }] };
      return item;
    }
    const { task } = node;
    const item = new vscode.TreeItem(task.title, vscode.TreeItemCollapsibleState.None);
    item.id = `task:${task.id}`;
    const who = task.employeeId ? ` · ${task.employeeId}` : '';
    const blocked = task.blockedBy.length ? ` · blocked by ${task.blockedBy.join(', ')}` : '';
    item.description = `${task.status}${blocked}${who}${task.costUsd ? ` · ${formatUsd(task.costUsd)}` : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${task.title}**\n\ntask \`${task.key ?? task.id}\` (${task.kind ?? 'task'}) · ${task.status}${blocked ? `\n\nWaits on ${task.blockedBy.join(', ')} in the dead-letter queue: retry or skip it, or cancel the run.` : ''}${task.lastError ? `\n\n${task.lastError}` : ''}`);
    item.iconPath = statusIcon(stateGroup(task.status));
    item.contextValue = `task:${task.status}`;
    item.command = { command: 'aura.showEvidence', title: 'Show Evidence', arguments: [node] };
    return item;
  }

  /** Subscribes to the given run resources and drops the ones no longer shown. */
  private async follow(uris: string[]): Promise<void> {
    const client = this.connection.client();
    const next = new Set(uris);
    for (const uri of this.subscribed) if (!next.has(uri)) await client.unsubscribe(uri).catch(() => undefined); // a finished run may be gone
    for (const uri of next) if (!this.subscribed.has(uri)) await client.subscribe(uri).catch((e) => this.log.warn(`subscribe ${uri}: ${e}`));
    this.subscribed = next;
  }

  /** After a reconnect the new session has no subscriptions. */
  forgetSubscriptions(): void {
    this.subscribed.clear();
  }

  override dispose(): void {
    this.loaded.dispose();
    super.dispose();
  }
}
