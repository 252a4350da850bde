// The Approvals view: what waits for the Director, with a badge counting it.
import * as vscode from 'vscode';
import { type Approval, approvalSchema, parseList } from '../../webview-ui/protocol/aura-data';
import { AuraTree } from './tree-base';

export type ApprovalNode = { kind: 'approval'; approval: Approval };

export class ApprovalsTree extends AuraTree<ApprovalNode> {
  protected readonly listTool = 'list_approvals';
  private count = 0;
  private readonly countChanged = new vscode.EventEmitter<number>();
  readonly onDidChangeCount = this.countChanged.event;

  get pending(): number {
    return this.count;
  }

  protected async roots(): Promise<ApprovalNode[]> {
    const approvals = parseList(await this.connection.call('list_approvals', { status: 'pending' }), 'approvals', approvalSchema).filter(
      (a) => !a.status || a.status === 'pending',
    );
    this.setCount(approvals.length);
    return approvals.map((approval) => ({ kind: 'approval', approval }));
  }

  setCount(n: number): void {
    if (n === this.count) return;
    this.count = n;
    this.countChanged.fire(n);
  }

  protected item(node: ApprovalNode): vscode.TreeItem {
    const a = node.approval;
    const item = new vscode.TreeItem(a.title ?? a.summary ?? `${a.kind ?? 'approval'} ${a.id}`, vscode.TreeItemCollapsibleState.None);
    item.id = `approval:${a.id}`;
    item.description = [a.kind, a.runId ? `run ${a.runId}` : undefined].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(`**${a.title ?? a.kind ?? 'Approval'}**\n\n${a.summary ?? ''}`);
    item.iconPath = new vscode.ThemeIcon('question', new vscode.ThemeColor('charts.yellow'));
    item.contextValue = 'approval';
    item.command = { command: 'aura.previewApproval', title: 'Preview', arguments: [node] };
    return item;
  }

  override dispose(): void {
    this.countChanged.dispose();
    super.dispose();
  }
}
