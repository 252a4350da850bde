// The status bar item: connection state, running tasks and pending approvals; a click opens the Approvals view.
import * as vscode from 'vscode';
import { type StatusFigures, statusText } from './status-text';

export type { StatusFigures };

export function createStatusBar(): { update(f: StatusFigures): void; item: vscode.StatusBarItem } {
  const item = vscode.window.createStatusBarItem('aura.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Aura Orchestra';
  item.show();
  return {
    item,
    update(f) {
      const t = statusText(f);
      item.text = t.text;
      item.tooltip = t.tooltip;
      item.backgroundColor = t.warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      item.command = f.state === 'connected' ? 'aura.approvals.focus' : 'aura.connect';
    },
  };
}
