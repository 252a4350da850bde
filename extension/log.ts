// The extension's log: one OutputChannel ("Aura Orchestra"), never given a secret.
import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Aura Orchestra', { log: true });
}

/** The message of anything thrown, for a log line or a notification. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
