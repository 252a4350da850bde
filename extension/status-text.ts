// The status bar's text for a connection state and its figures (plain, so it can be tested without VS Code).
import type { ConnectionState } from '../webview-ui/protocol/messages';

export interface StatusFigures {
  state: ConnectionState;
  detail: string;
  runningTasks: number;
  pendingApprovals: number;
  local: boolean;
}

/** The text of the item, kept apart from VS Code so it can be tested. */
export function statusText(f: StatusFigures): { text: string; tooltip: string; warn: boolean } {
  if (f.state !== 'connected') {
    const icon = f.state === 'connecting' ? '$(sync~spin)' : '$(debug-disconnect)';
    const what = { connecting: 'connecting', disconnected: 'offline', unauthorized: 'token refused', error: 'error', connected: '' }[f.state];
    return { text: `${icon} Aura: ${what}`, tooltip: `Aura Orchestra: ${f.detail}`, warn: f.state === 'unauthorized' || f.state === 'error' };
  }
  const parts = [`$(pulse) Aura${f.local ? ' (local)' : ''}`, `$(play) ${f.runningTasks}`, `$(bell${f.pendingApprovals ? '-dot' : ''}) ${f.pendingApprovals}`];
  return {
    text: parts.join('  '),
    tooltip: `Aura Orchestra: connected to ${f.detail}\n${f.runningTasks} running task(s), ${f.pendingApprovals} pending approval(s). Click to open Approvals.`,
    warn: false,
  };
}
