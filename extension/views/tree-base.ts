// What the four Aura trees share: refresh on demand (debounced), errors shown as an item, nothing while disconnected.
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import type { Log } from '../log';
import { errorText } from '../log';

export interface MessageNode {
  kind: 'message';
  text: string;
  error?: boolean;
}

export abstract class AuraTree<T extends { kind: string }> implements vscode.TreeDataProvider<T | MessageNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | MessageNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    protected readonly connection: Connection,
    protected readonly log: Log,
  ) {}

  /** The tool the view lists from; a server without it gets a message instead of an error. */
  protected abstract readonly listTool: string;

  /** Top-level items; called only while connected. */
  protected abstract roots(): Promise<T[]>;
  protected children(_node: T): Promise<Array<T | MessageNode>> {
    return Promise.resolve([]);
  }
  protected abstract item(node: T): vscode.TreeItem;

  /** Coalesces bursts of resource updates into one refresh. */
  refresh(delayMs = 150): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, delayMs);
  }

  async getChildren(node?: T | MessageNode): Promise<Array<T | MessageNode>> {
    if (node?.kind === 'message') return [];
    if (this.connection.state !== 'connected') return []; // the view's welcome content says how to connect
    if (!node && !this.connection.client().hasTool(this.listTool)) return [{ kind: 'message', text: `This server does not offer ${this.listTool}.` }];
    try {
      return node ? await this.children(node as T) : await this.roots();
    } catch (error) {
      this.log.warn(`${this.constructor.name}: ${errorText(error)}`);
      return [{ kind: 'message', text: errorText(error), error: true }];
    }
  }

  getTreeItem(node: T | MessageNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const m = node as MessageNode;
      const item = new vscode.TreeItem(m.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(m.error ? 'warning' : 'info');
      item.tooltip = m.text;
      return item;
    }
    return this.item(node as T);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}

/** The icon of a status, coloured by what it means. */
export function statusIcon(group: string): vscode.ThemeIcon {
  switch (group) {
    case 'done':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'running':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'blocked':
      return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'));
    case 'skipped':
      return new vscode.ThemeIcon('debug-step-over', new vscode.ThemeColor('disabledForeground'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    default:
      return new vscode.ThemeIcon('circle-large-outline');
  }
}
