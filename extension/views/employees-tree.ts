// The Employees view: each employee's status, tier and score.
import * as vscode from 'vscode';
import { type EmployeeRow, employeeSchema, parseList, scoreSchema } from '../../webview-ui/protocol/aura-data';
import { AuraTree } from './tree-base';

export type EmployeeNode = { kind: 'employee'; employee: EmployeeRow };

const statusIcons: Record<string, [string, string | undefined]> = {
  active: ['person', 'testing.iconPassed'],
  hired: ['person-add', undefined],
  probation: ['person', 'charts.yellow'],
  suspended: ['debug-pause', 'charts.orange'],
  terminated: ['circle-slash', 'disabledForeground'],
};

export class EmployeesTree extends AuraTree<EmployeeNode> {
  protected readonly listTool = 'list_employees';
  protected async roots(): Promise<EmployeeNode[]> {
    const employees = parseList(await this.connection.call('list_employees', {}), 'employees', employeeSchema);
    const client = this.connection.client();
    if (client.hasTool('get_scores')) {
      const scores = parseList(await client.call('get_scores', {}), 'leaderboard', scoreSchema);
      const byId = new Map(scores.map((s) => [s.employeeId, s]));
      for (const e of employees) {
        const s = byId.get(e.id);
        if (s && e.score == null) e.score = s.score;
        if (s?.tier && !e.tier) e.tier = s.tier;
      }
    }
    return employees.map((employee) => ({ kind: 'employee', employee }));
  }

  protected item(node: EmployeeNode): vscode.TreeItem {
    const e = node.employee;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    item.id = `employee:${e.id}`;
    item.description = [e.agent, e.status, e.tier, e.score != null ? `score ${e.score.toFixed(0)}` : undefined].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(`**${e.name}** (\`${e.id}\`)\n\n${e.provider ?? ''}${e.agent ? ` · ${e.agent}` : ''} ${e.model ?? ''}\n\nstatus ${e.status} · tier ${e.tier ?? '-'} · score ${e.score ?? '-'}`);
    const [icon, color] = statusIcons[e.status] ?? ['person', undefined];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `employee:${e.status}`;
    return item;
  }
}
