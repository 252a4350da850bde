// The one connection to the orchestrator: its state, reconnects with backoff, and the resource updates it relays.
import { type AuraClient, AuraConnectError, type ConnectFailure, connectAuraClient } from '../../webview-ui/protocol/aura-client';
import type { ConnectionState } from '../../webview-ui/protocol/messages';

export interface ConnectionDeps {
  url(): string;
  token(url: string): Promise<string | undefined>;
  clientVersion: string;
  log: (line: string) => void;
  /** Backoff delays (ms) between reconnect attempts after a dropped connection. */
  backoffMs?: readonly number[];
}

export interface Connection {
  readonly state: ConnectionState;
  readonly detail: string;
  readonly url: string | undefined;
  readonly tools: readonly string[];
  /** Connects (again); resolves to the failure kind, or undefined when connected. */
  connect(): Promise<ConnectFailure | undefined>;
  disconnect(): Promise<void>;
  client(): AuraClient;
  call(tool: string, args?: Record<string, unknown>): Promise<unknown>;
  onState(listener: (state: ConnectionState) => void): () => void;
  onUpdated(listener: (uri: string) => void): () => void;
  onListChanged(listener: () => void): () => void;
  dispose(): Promise<void>;
}

export function createConnection(deps: ConnectionDeps): Connection {
  let current: AuraClient | undefined;
  let state: ConnectionState = 'disconnected';
  let detail = 'not connected';
  let wanted = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let generation = 0;
  const backoff = deps.backoffMs ?? [1000, 2000, 5000, 10_000, 30_000];
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const updatedListeners = new Set<(uri: string) => void>();
  const listListeners = new Set<() => void>();
  const on = <T>(set: Set<T>, l: T) => {
    set.add(l);
    return () => void set.delete(l);
  };
  const setState = (next: ConnectionState, why: string) => {
    detail = why;
    if (next === state) return;
    state = next;
    deps.log(`connection: ${next} (${why})`);
    stateListeners.forEach((l) => l(next));
  };

  const scheduleReconnect = () => {
    if (!wanted || retry) return;
    const delay = backoff[Math.min(attempt, backoff.length - 1)]!;
    attempt++;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
  };

  async function connect(): Promise<ConnectFailure | undefined> {
    wanted = true;
    if (retry) clearTimeout(retry);
    retry = undefined;
    const mine = ++generation;
    const old = current;
    current = undefined;
    if (old) await old.close().catch(() => undefined); // replacing it; a failing close changes nothing
    const url = deps.url();
    setState('connecting', url);
    try {
      const client = await connectAuraClient({ url, token: await deps.token(url), clientName: 'aura-vscode', clientVersion: deps.clientVersion });
      if (mine !== generation) {
        await client.close().catch(() => undefined); // a newer connect() won the race
        return undefined;
      }
      current = client;
      attempt = 0;
      client.onUpdated((uri) => updatedListeners.forEach((l) => l(uri)));
      client.onListChanged(() => listListeners.forEach((l) => l()));
      client.onClosed(() => {
        if (current !== client) return;
        current = undefined;
        setState('disconnected', 'the server closed the connection');
        scheduleReconnect();
      });
      setState('connected', `${url} (${client.tools.size} tools)`);
      return undefined;
    } catch (error) {
      if (mine !== generation) return undefined;
      const kind = error instanceof AuraConnectError ? error.kind : 'error';
      setState(kind === 'unauthorized' ? 'unauthorized' : kind === 'unreachable' ? 'disconnected' : 'error', (error as Error).message);
      // A refused token will be refused again: wait for the person to set another.
      if (kind !== 'unauthorized' && attempt > 0) scheduleReconnect();
      return kind;
    }
  }

  return {
    get state() {
      return state;
    },
    get detail() {
      return detail;
    },
    get url() {
      return current?.url;
    },
    get tools() {
      return current ? [...current.tools].sort() : [];
    },
    connect,
    async disconnect() {
      wanted = false;
      generation++;
      if (retry) clearTimeout(retry);
      retry = undefined;
      const old = current;
      current = undefined;
      if (old) await old.close().catch(() => undefined); // the server may already be gone
      setState('disconnected', 'disconnected by the Director');
    },
    client() {
      if (!current) throw new Error(`Not connected to the orchestrator (${detail}). Run "Aura: Connect to Server" or "Aura: Start Local Orchestrator".`);
      return current;
    },
    call(tool, args) {
      return this.client().call(tool, args);
    },
    onState: (l) => on(stateListeners, l),
    onUpdated: (l) => on(updatedListeners, l),
    onListChanged: (l) => on(listListeners, l),
    async dispose() {
      await this.disconnect();
      stateListeners.clear();
      updatedListeners.clear();
      listListeners.clear();
    },
  };
}

/** Whether a server URL points at this machine (where a local orchestrator can be started for it). */
export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}
