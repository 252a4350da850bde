// The dashboard's backend inside a VS Code webview: every call goes to the extension host as a checked message.
import { type ConnectionState, parseMessage, type Route, type ToHost, toWebviewSchema } from '../protocol/messages';
import { type Backend, Listeners } from './backend';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export function createVsCodeBackend(): Promise<{ backend: Backend; route: Route }> {
  const api = acquireVsCodeApi();
  const post = (m: ToHost) => api.postMessage(m);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const updated = new Listeners<string>();
  const connection = new Listeners<ConnectionState>();
  const navigate = new Listeners<Route>();
  let state: ConnectionState = 'connecting';
  let tools = new Set<string>();
  let nextId = 1;
  let started: ((route: Route) => void) | undefined;
  const ready = new Promise<Route>((resolve) => (started = resolve));

  window.addEventListener('message', (event: MessageEvent) => {
    const parsed = parseMessage(toWebviewSchema, event.data);
    if (!parsed.ok) {
      console.warn(`Aura dashboard: ignored an invalid message from the host: ${parsed.reason}`);
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'init':
        state = m.connection;
        tools = new Set(m.tools);
        started?.(m.route);
        return;
      case 'result': {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.data);
        else p.reject(new Error(m.error));
        return;
      }
      case 'updated':
        updated.emit(m.uri);
        return;
      case 'connection':
        state = m.state;
        tools = new Set(m.tools);
        connection.emit(m.state);
        return;
      case 'navigate':
        navigate.emit(m.route);
        return;
    }
  });

  const request = (m: { type: 'call'; tool: string; args: Record<string, unknown> } | { type: 'read'; uri: string }) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post({ ...m, id });
    });

  const backend: Backend = {
    kind: 'vscode',
    call: (tool, args = {}) => (tools.has(tool) ? request({ type: 'call', tool, args }) : Promise.reject(new Error(`This server does not offer ${tool}.`))),
    read: (uri) => request({ type: 'read', uri }),
    subscribe: (uri) => post({ type: 'subscribe', uri }),
    unsubscribe: (uri) => post({ type: 'unsubscribe', uri }),
    tools: () => tools,
    connection: () => state,
    onUpdated: (l) => updated.add(l),
    onConnection: (l) => connection.add(l),
    onNavigate: (l) => navigate.add(l),
    routed: (route) => post({ type: 'route', route }),
  };
  post({ type: 'ready' });
  return ready.then((route) => ({ backend, route }));
}
