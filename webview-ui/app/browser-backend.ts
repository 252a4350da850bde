// The dashboard's backend in a browser: an MCP client to the server's /mcp on the same origin (the session cookie authenticates).
import { type AuraClient, AuraConnectError, connectAuraClient } from '../protocol/aura-client';
import { type ConnectionState, dashboardTools, type Route } from '../protocol/messages';
import { type Backend, Listeners } from './backend';

export async function createBrowserBackend(): Promise<Backend> {
  const updated = new Listeners<string>();
  const connection = new Listeners<ConnectionState>();
  const navigate = new Listeners<Route>();
  const subscribed = new Set<string>();
  let state: ConnectionState = 'connecting';
  let client: AuraClient | undefined;
  const setState = (s: ConnectionState) => {
    state = s;
    connection.emit(s);
  };

  async function connect(): Promise<void> {
    try {
      const c = await connectAuraClient({
        url: new URL('mcp', window.location.href).toString(),
        clientName: 'aura-dashboard',
        clientVersion: '1',
        fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
      });
      client = c;
      c.onUpdated((uri) => updated.emit(uri));
      c.onClosed(() => {
        if (client !== c) return;
        client = undefined;
        setState('disconnected');
        setTimeout(() => void connect(), 2000);
      });
      for (const uri of subscribed) await c.subscribe(uri).catch(() => undefined); // best effort after a reconnect
      setState('connected');
    } catch (error) {
      if (error instanceof AuraConnectError && error.kind === 'unauthorized') {
        window.location.assign('login'); // the session expired: log in again
        return;
      }
      setState('disconnected');
      setTimeout(() => void connect(), 3000);
    }
  }
  await connect();

  const need = () => {
    if (!client) throw new Error('Not connected to the orchestrator');
    return client;
  };
  return {
    kind: 'browser',
    call: (tool, args = {}) => {
      if (!dashboardTools.has(tool)) return Promise.reject(new Error(`The dashboard does not call ${tool}`));
      const c = need();
      if (!c.hasTool(tool)) return Promise.reject(new Error(`This server does not offer ${tool}.`));
      return c.call(tool, args);
    },
    read: (uri) => need().read(uri),
    subscribe: (uri) => {
      subscribed.add(uri);
      void client?.subscribe(uri).catch(() => undefined); // resubscribed on reconnect
    },
    unsubscribe: (uri) => {
      subscribed.delete(uri);
      void client?.unsubscribe(uri).catch(() => undefined); // the session may be gone
    },
    tools: () => new Set([...(client?.tools ?? [])].filter((t) => dashboardTools.has(t))),
    connection: () => state,
    onUpdated: (l) => updated.add(l),
    onConnection: (l) => connection.add(l),
    onNavigate: (l) => navigate.add(l),
    routed: (route) => {
      const hash = `#${route.view}${route.runId ? `/${encodeURIComponent(route.runId)}` : ''}${route.taskId ? `/${encodeURIComponent(route.taskId)}` : ''}`;
      if (window.location.hash !== hash) history.replaceState(null, '', hash);
    },
  };
}

/** The route in a browser's address (#view/runId/taskId). */
export function routeFromHash(hash: string): Route {
  const [view, runId, taskId] = hash.replace(/^#/, '').split('/').map((p) => decodeURIComponent(p));
  const views = ['overview', 'timeline', 'task', 'leaderboard', 'approvals', 'costs', 'archive'] as const;
  const v = views.find((x) => x === view) ?? 'overview';
  return { view: v, ...(runId ? { runId } : {}), ...(taskId ? { taskId } : {}) };
}
