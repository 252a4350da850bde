// What the dashboard needs from its host, whichever it is: the extension (VS Code) or the MCP server directly (browser).
import type { ConnectionState, Route } from '../protocol/messages';

export interface Backend {
  readonly kind: 'vscode' | 'browser';
  call(tool: string, args?: Record<string, unknown>): Promise<unknown>;
  read(uri: string): Promise<unknown>;
  subscribe(uri: string): void;
  unsubscribe(uri: string): void;
  /** Tools the server offers (that the dashboard may use). */
  tools(): ReadonlySet<string>;
  connection(): ConnectionState;
  onUpdated(listener: (uri: string) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  onNavigate(listener: (route: Route) => void): () => void;
  /** Tells the host which page is shown (VS Code restores it). */
  routed(route: Route): void;
}

/** A small typed event list (the dashboard has no Node EventEmitter). */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }
  emit(value: T): void {
    for (const l of this.set) l(value);
  }
}
