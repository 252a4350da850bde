// Quick picks that find the run, task, approval or employee a command applies to when none was clicked.
import * as vscode from 'vscode';
import { approvalSchema, employeeSchema, isFinished, parseList, runSchema, taskSchema } from '../../webview-ui/protocol/aura-data';
import type { CommandContext } from './command-context';

type Node = { kind?: string; run?: { id: string }; task?: { id: string }; approval?: { id: string }; employee?: { id: string }; letter?: { taskId?: string; id?: string }; runId?: string };

const pickOne = async (items: Array<vscode.QuickPickItem & { id: string }>, placeHolder: string) => {
  if (!items.length) throw new Error(`Nothing to choose from: ${placeHolder.toLowerCase()}`);
  return (await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true }))?.id;
};

export async function runIdFrom(ctx: CommandContext, arg: unknown, filter?: (status: string) => boolean): Promise<string | undefined> {
  const n = arg as Node | undefined;
  if (n?.run?.id) return n.run.id;
  if (typeof n?.runId === 'string') return n.runId;
  const runs = parseList(await ctx.connection.call('list_runs', {}), 'runs', runSchema).filter((r) => !filter || filter(r.status));
  return pickOne(runs.map((r) => ({ id: r.id, label: r.title, description: `${r.status} · ${r.id}` })), 'Choose a run');
}

export async function taskIdFrom(ctx: CommandContext, arg: unknown, filter?: (status: string) => boolean): Promise<string | undefined> {
  const n = arg as Node | undefined;
  if (n?.task?.id) return n.task.id;
  if (n?.letter?.taskId) return n.letter.taskId;
  const runId = await runIdFrom(ctx, undefined);
  if (!runId) return undefined;
  const tasks = parseList(await ctx.connection.call('list_tasks', { runId }), 'tasks', taskSchema).filter((t) => !filter || filter(t.status));
  return pickOne(tasks.map((t) => ({ id: t.id, label: t.title, description: `${t.status} · ${t.key ?? t.id}` })), 'Choose a task');
}

export async function approvalIdFrom(ctx: CommandContext, arg: unknown): Promise<string | undefined> {
  const n = arg as Node | undefined;
  if (n?.approval?.id) return n.approval.id;
  const approvals = parseList(await ctx.connection.call('list_approvals', { status: 'pending' }), 'approvals', approvalSchema);
  return pickOne(approvals.map((a) => ({ id: a.id, label: a.title ?? a.summary ?? a.id, description: a.kind })), 'Choose an approval');
}

export async function employeeIdFrom(ctx: CommandContext, arg: unknown, filter?: (status: string) => boolean): Promise<string | undefined> {
  const n = arg as Node | undefined;
  if (n?.employee?.id) return n.employee.id;
  const employees = parseList(await ctx.connection.call('list_employees', {}), 'employees', employeeSchema).filter((e) => !filter || filter(e.status));
  return pickOne(employees.map((e) => ({ id: e.id, label: e.name, description: `${e.status} · ${e.provider ?? ''} ${e.model ?? ''}` })), 'Choose an employee');
}

export const isActiveRun = (s: string) => !isFinished(s);
