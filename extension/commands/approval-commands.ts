// Commands on approvals: preview what is asked, approve, reject with a reason.
import * as vscode from 'vscode';
import { type Approval, approvalSchema, parseList } from '../../webview-ui/protocol/aura-data';
import { approvalMarkdown } from './approval-markdown';
import { act, askReason, type CommandContext, type CommandFactory, commandInput } from './command-context';
import { approvalIdFrom } from './pick';

async function findApproval(ctx: CommandContext, id: string): Promise<Approval | undefined> {
  const all = parseList(await ctx.connection.call('list_approvals', {}), 'approvals', approvalSchema);
  return all.find((a) => a.id === id);
}

async function showPreview(ctx: CommandContext, id: string): Promise<Approval | undefined> {
  const approval = await findApproval(ctx, id);
  if (!approval) throw new Error(`Approval ${id} is no longer pending.`);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: approvalMarkdown(approval) });
  await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
  return approval;
}

const previewApproval: CommandFactory = (ctx) => async (node?: unknown) => {
  const id = await approvalIdFrom(ctx, node);
  if (id) await showPreview(ctx, id);
  return id;
};

const approve: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const input = commandInput(options);
  const id = await approvalIdFrom(ctx, node);
  if (!id) return;
  const a = await showPreview(ctx, id);
  const sure = input.confirmed || (await vscode.window.showInformationMessage(`Approve "${a?.title ?? id}"?`, { modal: true, detail: a?.summary }, 'Approve')) === 'Approve';
  if (!sure) return;
  return act(ctx, 'approve', { approvalId: id }, `Approved "${a?.title ?? id}".`);
};

const reject: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const id = await approvalIdFrom(ctx, node);
  if (!id) return;
  const a = await showPreview(ctx, id);
  const reason = commandInput(options).reason ?? await askReason(`Why reject "${a?.title ?? id}"?`);
  if (!reason) return;
  return act(ctx, 'reject', { approvalId: id, reason }, `Rejected "${a?.title ?? id}".`);
};

export const approvalCommands = {
  'aura.previewApproval': previewApproval,
  'aura.approve': approve,
  'aura.reject': reject,
} satisfies Record<string, CommandFactory>;
