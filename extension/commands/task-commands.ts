// Commands on tasks: retry, skip, and show a task's evidence.
import * as vscode from 'vscode';
import { act, askReason, type CommandFactory, commandInput } from './command-context';
import { taskIdFrom } from './pick';

const retryable = (s: string) => /failed|dead/.test(s);

const retryTask: CommandFactory = (ctx) => async (node?: unknown) => {
  const taskId = await taskIdFrom(ctx, node, retryable);
  if (!taskId) return;
  return act(ctx, 'retry_task', { taskId }, `Task ${taskId} queued again.`);
};

const skipTask: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const taskId = await taskIdFrom(ctx, node);
  if (!taskId) return;
  const reason = commandInput(options).reason ?? await askReason('Why skip this task? Tasks that depend on it proceed without it.');
  if (!reason) return;
  return act(ctx, 'skip_task', { taskId, reason }, `Task ${taskId} skipped.`);
};

const showEvidence: CommandFactory = (ctx) => async (node?: unknown) => {
  const taskId = await taskIdFrom(ctx, node);
  if (!taskId) return;
  const runId = (node as { runId?: string } | undefined)?.runId;
  ctx.dashboard.show({ view: 'task', taskId, ...(runId ? { runId } : {}) });
  return taskId;
};

const verifyAudit: CommandFactory = (ctx) => async (node?: unknown) => {
  const runId = (node as { run?: { id: string } } | undefined)?.run?.id;
  const result = (await ctx.connection.call('verify_audit', runId ? { runId } : {})) as { ok?: boolean; valid?: boolean; problems?: unknown[]; checked?: number; message?: string };
  const ok = result?.ok ?? result?.valid;
  const what = runId ? `run ${runId}` : 'the whole audit log';
  if (ok) void vscode.window.showInformationMessage(`Audit log verified: ${what} is intact${result.checked ? ` (${result.checked} events)` : ''}.`);
  else void vscode.window.showErrorMessage(`Audit log verification FAILED for ${what}: ${result?.message ?? JSON.stringify(result?.problems ?? result).slice(0, 400)}`);
  return result;
};

export const taskCommands = {
  'aura.retryTask': retryTask,
  'aura.skipTask': skipTask,
  'aura.showEvidence': showEvidence,
  'aura.verifyAudit': verifyAudit,
} satisfies Record<string, CommandFactory>;
