// The Memory view: the four scopes, each listing its live entries (memory_list); an entry opens as Markdown.
import * as vscode from 'vscode';
import { type MemoryEntryRow, memoryEntrySchema, memoryScopeNames, type MemoryScopeName } from '../../webview-ui/protocol/memory-data';
import { parseList } from '../../webview-ui/protocol/aura-data';
import { memoryDocUri } from '../memory/memory-uri';
import { AuraTree, type MessageNode } from './tree-base';

export type MemoryNode = { kind: 'scope'; scope: MemoryScopeName } | { kind: 'memory-entry'; entry: MemoryEntryRow };

const scopeLabels: Record<MemoryScopeName, string> = { project: 'Project', org: 'Organisation', user: 'User', run: 'Runs' };
const scopeIcons: Record<MemoryScopeName, string> = { project: 'repo', org: 'organization', user: 'account', run: 'play-circle' };

export class MemoryTree extends AuraTree<MemoryNode> {
  protected readonly listTool = 'memory_list';

  protected async roots(): Promise<MemoryNode[]> {
    return memoryScopeNames.map((scope) => ({ kind: 'scope', scope }));
  }

  protected override async children(node: MemoryNode): Promise<Array<MemoryNode | MessageNode>> {
    if (node.kind !== 'scope') return [];
    const entries = parseList(await this.connection.call('memory_list', { scope: node.scope }), 'entries', memoryEntrySchema);
    if (entries.length === 0) return [{ kind: 'message', text: 'No entries.' }];
    return entries.map((entry) => ({ kind: 'memory-entry', entry }));
  }

  protected item(node: MemoryNode): vscode.TreeItem {
    if (node.kind === 'scope') {
      const item = new vscode.TreeItem(scopeLabels[node.scope], vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `memory-scope:${node.scope}`;
      item.iconPath = new vscode.ThemeIcon(scopeIcons[node.scope]);
      item.contextValue = 'memory-scope';
      return item;
    }
    const e = node.entry;
    const item = new vscode.TreeItem(e.key, vscode.TreeItemCollapsibleState.None);
    item.id = `memory:${e.uri}`;
    item.description = `${e.namespace} · v${e.version}${e.tags.length ? ` · ${e.tags.join(', ')}` : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${e.uri}** (v${e.version})\n\nby ${e.author}, ${e.writtenAt}${e.expiresAt ? `\n\nexpires ${e.expiresAt}` : ''}\n\n---\n\n${e.content.slice(0, 800)}`);
    item.iconPath = new vscode.ThemeIcon('note');
    item.contextValue = 'memory-entry';
    item.resourceUri = memoryDocUri(e);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [memoryDocUri(e)] };
    return item;
  }
}
