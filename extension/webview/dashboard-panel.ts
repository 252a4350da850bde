// The dashboard webview in VS Code: one panel, its HTML shell, and the zod-checked bridge between it and the connection.
import * as vscode from 'vscode';
import { dashboardTools, parseMessage, type Route, type ToWebview, toHostSchema } from '../../webview-ui/protocol/messages';
import type { Connection } from '../connection/connection';
import type { Log } from '../log';
import { errorText } from '../log';
import { dashboardHtml } from './webview-html';

export interface DashboardPanel extends vscode.Disposable {
  show(route: Route): void;
  readonly visible: boolean;
}

export function createDashboardPanel(context: vscode.ExtensionContext, connection: Connection, log: Log): DashboardPanel {
  let panel: vscode.WebviewPanel | undefined;
  let route: Route = { view: 'overview' };
  const assets = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
  const subscriptions = new Set<string>();

  const post = (message: ToWebview) => void panel?.webview.postMessage(message);

  const open = () => {
    const created = vscode.window.createWebviewPanel('aura.dashboard', 'Aura Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [assets],
    });
    created.iconPath = vscode.Uri.joinPath(context.extensionUri, 'extension', 'media', 'aura.svg');
    const webview = created.webview;
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'dashboard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'dashboard.css')).toString(),
      route,
    });
    const disposables: vscode.Disposable[] = [];
    disposables.push(
      webview.onDidReceiveMessage((raw) => onMessage(raw).catch((e) => log.warn(`dashboard message: ${errorText(e)}`))),
      created.onDidDispose(() => {
        panel = undefined;
        if (connection.state === 'connected') for (const uri of subscriptions) void connection.client().unsubscribe(uri).catch(() => undefined); // the session may be gone
        subscriptions.clear();
        disposables.forEach((d) => d.dispose());
      }),
    );
    panel = created;
  };

  async function onMessage(raw: unknown): Promise<void> {
    const parsed = parseMessage(toHostSchema, raw);
    if (!parsed.ok) {
      log.warn(`dashboard sent an invalid message: ${parsed.reason}`);
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'ready':
        post({ type: 'init', route, connection: connection.state, tools: connection.tools.filter((t) => dashboardTools.has(t)) });
        return;
      case 'route':
        route = m.route;
        return;
      case 'call':
        if (!dashboardTools.has(m.tool)) {
          post({ type: 'result', id: m.id, ok: false, error: `The dashboard may not call ${m.tool}` });
          return;
        }
        try {
          post({ type: 'result', id: m.id, ok: true, data: await connection.call(m.tool, m.args) });
        } catch (error) {
          post({ type: 'result', id: m.id, ok: false, error: errorText(error) });
        }
        return;
      case 'read':
        try {
          post({ type: 'result', id: m.id, ok: true, data: await connection.client().read(m.uri) });
        } catch (error) {
          post({ type: 'result', id: m.id, ok: false, error: errorText(error) });
        }
        return;
      case 'subscribe':
        subscriptions.add(m.uri);
        if (connection.state !== 'connected') return; // subscribed again on reconnect
        await connection
          .client()
          .subscribe(m.uri)
          .catch((e) => log.warn(`dashboard subscribe ${m.uri}: ${errorText(e)}`));
        return;
      case 'unsubscribe':
        subscriptions.delete(m.uri);
        if (connection.state !== 'connected') return;
        await connection
          .client()
          .unsubscribe(m.uri)
          .catch(() => undefined); // already gone with its session
        return;
    }
  }

  const offUpdated = connection.onUpdated((uri) => {
    if (panel) post({ type: 'updated', uri });
  });
  const offState = connection.onState((state) => {
    if (!panel) return;
    if (state === 'connected') for (const uri of subscriptions) void connection.client().subscribe(uri).catch(() => undefined); // best effort after reconnect
    post({ type: 'connection', state, tools: connection.tools.filter((t) => dashboardTools.has(t)) });
  });

  return {
    show(next) {
      route = next;
      if (!panel) open();
      else post({ type: 'navigate', route });
      panel!.reveal(undefined, false);
    },
    get visible() {
      return Boolean(panel?.visible);
    },
    dispose() {
      offUpdated();
      offState();
      panel?.dispose();
    },
  };
}
