// Typed getters over the extension's settings (section "aura"); secrets never live here.
import * as vscode from 'vscode';

export const defaultServerUrl = 'http://127.0.0.1:9000/mcp';

export interface Settings {
  serverUrl(): string;
  autoConnect(): boolean;
  offerLocalOrchestrator(): boolean;
  localHome(): string | undefined;
  localApiPort(): number;
  localUiPort(): number;
}

/** Reads settings on each call, so a change applies without reloading the window. */
export function createSettings(): Settings {
  const get = <T>(key: string, fallback: T): T => vscode.workspace.getConfiguration('aura').get<T>(key, fallback) ?? fallback;
  const port = (key: string, fallback: number) => {
    const value = get<number>(key, fallback);
    return Number.isInteger(value) && value > 0 && value < 65536 ? value : fallback;
  };
  return {
    serverUrl: () => {
      const url = get<string>('serverUrl', defaultServerUrl).trim();
      try {
        return new URL(url).toString().replace(/\/$/, '');
      } catch {
        return defaultServerUrl;
      }
    },
    autoConnect: () => get<boolean>('autoConnect', true),
    offerLocalOrchestrator: () => get<boolean>('offerLocalOrchestrator', true),
    localHome: () => get<string>('localOrchestrator.home', '').trim() || undefined,
    localApiPort: () => port('localOrchestrator.apiPort', 8000),
    localUiPort: () => port('localOrchestrator.uiPort', 5173),
  };
}

export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('aura')) listener();
  });
}
