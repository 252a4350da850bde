// The Dead letters view: tasks that used up their attempts, with why; retry or skip from here.
import * as vscode from 'vscode';
import { type DeadLetter, deadLetterSchema, parseList } from '../../webview-ui/protocol/aura-data';
import { AuraTree } from './tree-base';

export type DeadLetterNode = { kind: 'dead-letter'; letter: DeadLetter };

export class DeadLettersTree extends AuraTree<DeadLetterNode> {
  protected readonly listTool = 'list_dead_letters';
  protected async roots(): Promise<DeadLetterNode[]> {
    const letters = parseList(await this.connection.call('list_dead_letters', {}), 'tasks', deadLetterSchema);
    return letters.map((letter) => ({ kind: 'dead-letter', letter }));
  }

  protected item(node: DeadLetterNode): vscode.TreeItem {
    const l = node.letter;
    const taskId = l.taskId ?? '?';
    const item = new vscode.TreeItem(l.title ?? `task ${taskId}`, vscode.TreeItemCollapsibleState.None);
    item.id = `dead:${taskId}`;
    item.description = `${l.attempts ?? 0} attempts${l.reason ? ` · ${l.reason}` : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${l.title ?? taskId}**\n\n${l.reason ?? ''}`);
    item.iconPath = new vscode.ThemeIcon('mail', new vscode.ThemeColor('testing.iconFailed'));
    item.contextValue = 'task:dead_lettered';
    return item;
  }
}
