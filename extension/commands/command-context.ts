// What every command factory receives, and the one place commands are registered (errors shown, never swallowed).
import * as vscode from 'vscode';
import { z } from 'zod';
import type { Connection } from '../connection/connection';
import type { LocalController } from '../connection/local-controller';
import type { Log } from '../log';
import { errorText } from '../log';
import type { Secrets } from '../secrets';
import type { Settings } from '../settings';
import type { ApprovalsTree } from '../views/approvals-tree';
import type { DeadLettersTree } from '../views/dead-letters-tree';
import type { EmployeesTree } from '../views/employees-tree';
import type { RunsTree } from '../views/runs-tree';
import type { DashboardPanel } from '../webview/dashboard-panel';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  connection: Connection;
  local: LocalController;
  settings: Settings;
  secrets: Secrets;
  log: Log;
  dashboard: DashboardPanel;
  trees: { runs: RunsTree; approvals: ApprovalsTree; employees: EmployeesTree; deadLetters: DeadLettersTree };
  refreshAll(): void;
}

// Command arguments come from VS Code untyped: a tree node, a URI, or nothing from the palette.
export type CommandHandler = (...args: any[]) => unknown;
export type CommandFactory = (ctx: CommandContext) => CommandHandler;

/** Registers each command; a failing command shows its error and logs it (VS Code would only log it). */
export function registerCommands(ctx: CommandContext, factories: Record<string, CommandFactory>): vscode.Disposable[] {
  return Object.entries(factories).map(([id, factory]) => {
    const handler = factory(ctx);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        ctx.log.error(`${id}: ${errorText(error)}`);
        void vscode.window.showErrorMessage(`Aura: ${errorText(error)}`);
        return undefined;
      }
    });
  });
}

/** A tool call that tells the person what happened and refreshes the views. */
export async function act(ctx: CommandContext, tool: string, args: Record<string, unknown>, done: string): Promise<unknown> {
  const result = await ctx.connection.call(tool, args);
  ctx.refreshAll();
  void vscode.window.showInformationMessage(done);
  return result;
}

/** Asks for a free-text reason; undefined when the person cancels. */
export function askReason(prompt: string, required = true): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    prompt,
    ignoreFocusOut: true,
    validateInput: (v) => (required && !v.trim() ? 'A reason is required (it is recorded in the audit log)' : undefined),
  });
}

/**
 * What a command may be given instead of asking (a keybinding's args, another extension, a test): a reason,
 * a confirmation, a message. Checked like any other input; anything else is ignored.
 */
const commandInputSchema = z.object({
  reason: z.string().min(1).max(2000).optional(),
  confirmed: z.boolean().optional(),
  message: z.string().min(1).max(10_000).optional(),
  /** Submit PRD: the phase template to start from, and its variables. */
  template: z.string().min(1).max(100).optional(),
  variables: z.record(z.string(), z.string().max(200_000)).optional(),
});
export type CommandInput = z.infer<typeof commandInputSchema>;

export function commandInput(value: unknown): CommandInput {
  const parsed = commandInputSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** A modal yes/no unless the caller already confirmed. */
export async function confirm(input: CommandInput, message: string, action: string, detail?: string): Promise<boolean> {
  if (input.confirmed) return true;
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}
