// Commands on runs: submit a PRD (as written or from a phase template), pause, resume, cancel, open the dashboard, chat with the Manager.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseList, parseOne, runSchema } from '../../webview-ui/protocol/aura-data';
import { act, askReason, type CommandFactory, commandInput, confirm } from './command-context';
import { isActiveRun, runIdFrom } from './pick';
import { templateChoiceSchema, templatePickItems, variablesToAsk } from './template-choice';

/** The PRD to submit: the selection when there is one, else the whole document; and a title for it. */
export function prdFromEditor(editor: vscode.TextEditor | undefined, uri?: vscode.Uri): { text: string; title: string } | undefined {
  if (!editor) return undefined;
  if (uri && editor.document.uri.toString() !== uri.toString()) return undefined;
  const doc = editor.document;
  const selected = editor.selections.filter((s) => !s.isEmpty).map((s) => doc.getText(s));
  const text = selected.length ? selected.join('\n\n') : doc.getText();
  const heading = /^#\s+(.+)$/m.exec(text)?.[1]?.trim();
  return { text, title: heading ?? path.basename(doc.fileName).replace(/\.[^.]+$/, '') };
}

/**
 * Offers the phase templates (when the server has them): "No template" plans the open PRD as written; a template is
 * filled with the PRD and the variables it still needs. Returns null for no template, undefined when cancelled.
 */
async function chooseTemplate(ctx: Parameters<CommandFactory>[0], hasPrd: boolean, given: Record<string, string>): Promise<{ name: string; variables: Record<string, string> } | null | undefined> {
  if (!ctx.connection.tools.includes('list_templates')) return null;
  const templates = parseList(await ctx.connection.call('list_templates', {}), 'templates', templateChoiceSchema);
  const items = templatePickItems(templates, hasPrd);
  if (items.length === 0) return null;
  const picked = await vscode.window.showQuickPick(items, { title: 'Submit PRD', placeHolder: hasPrd ? 'Start from a phase template, or plan the PRD as written' : 'Start from a phase template', matchOnDescription: true, matchOnDetail: true });
  if (!picked) return undefined;
  if (picked.template === null) return null;
  const template = templates.find((t) => t.name === picked.template)!;
  const variables = { ...given };
  for (const ask of variablesToAsk(template, hasPrd, given)) {
    const value = await vscode.window.showInputBox({ prompt: ask.prompt, placeHolder: ask.placeHolder, ignoreFocusOut: true });
    if (value === undefined) return undefined;
    variables[ask.name] = value;
  }
  return { name: template.name, variables };
}

const submitPrd: CommandFactory = (ctx) => async (uri?: vscode.Uri, options?: unknown) => {
  const input = commandInput(options);
  let prd = prdFromEditor(vscode.window.activeTextEditor, uri instanceof vscode.Uri ? uri : undefined);
  if (!prd && uri instanceof vscode.Uri) {
    const doc = await vscode.workspace.openTextDocument(uri);
    prd = { text: doc.getText(), title: path.basename(doc.fileName).replace(/\.[^.]+$/, '') };
  }
  const hasPrd = Boolean(prd?.text.trim());
  // A caller that answered already (confirmed, or named the template) is not asked which template.
  const template =
    input.template !== undefined
      ? { name: input.template, variables: input.variables ?? {} }
      : input.confirmed
        ? null
        : await chooseTemplate(ctx, hasPrd, input.variables ?? {});
  if (template === undefined) return undefined;
  if (!template && !hasPrd) throw new Error('Open a Markdown PRD (or select part of one) to submit it, or choose a template.');
  const title = template ? undefined : prd!.title;
  const what = template ? `template "${template.name}"${hasPrd ? ` with "${prd!.title}"` : ''}` : `"${prd!.title}" (${prd!.text.length} characters)`;
  const go =
    input.confirmed ||
    (await vscode.window.showInformationMessage(
      `Submit ${what} to the Manager?`,
      { modal: true, detail: 'The Manager plans it into tasks and the team starts working on it.' },
      'Submit',
    )) === 'Submit';
  if (!go) return undefined;
  // The run works in the open folder when it is a git repository (the Manager's workspaces are git worktrees).
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const isRepo = folder !== undefined && fs.existsSync(path.join(folder, '.git'));
  const result = await ctx.connection.call('submit_prd', {
    ...(hasPrd ? { prd: prd!.text } : {}),
    ...(title ? { title } : {}),
    ...(template ? { template: template.name, variables: template.variables } : {}),
    ...(isRepo ? { workspace: folder } : {}),
  });
  const run = parseOne(result, 'run', runSchema);
  ctx.refreshAll();
  const runId = run?.id ?? (result as { runId?: string })?.runId;
  // Not awaited: the command is done when the run exists; the notification may stay open.
  void vscode.window.showInformationMessage(`Submitted ${what}${runId ? ` as run ${runId}` : ''}.`, 'Open Dashboard').then((open) => {
    if (open && runId) ctx.dashboard.show({ view: 'overview', runId });
  });
  return runId;
};

const pauseRun: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const runId = await runIdFrom(ctx, node, isActiveRun);
  if (!runId) return;
  const reason = commandInput(options).reason ?? (await askReason('Why pause this run?', false));
  if (reason === undefined) return;
  return act(ctx, 'pause_run', { runId, reason: reason || 'paused by the Director' }, `Run ${runId} paused.`);
};

const resumeRun: CommandFactory = (ctx) => async (node?: unknown) => {
  const runId = await runIdFrom(ctx, node, (s) => s === 'paused');
  if (!runId) return;
  return act(ctx, 'resume_run', { runId }, `Run ${runId} resumed.`);
};

const cancelRun: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const input = commandInput(options);
  const runId = await runIdFrom(ctx, node, isActiveRun);
  if (!runId) return;
  if (!(await confirm(input, `Cancel run ${runId}? Running tasks are stopped.`, 'Cancel Run'))) return;
  const reason = input.reason ?? (await askReason('Why cancel this run?'));
  if (!reason) return;
  return act(ctx, 'cancel_run', { runId, reason }, `Run ${runId} cancelled.`);
};

/** From the palette (nothing), a run item's menu (its node) or its click ({ runId }). */
const openDashboard: CommandFactory = (ctx) => (arg?: { runId?: string; view?: string; run?: { id?: string } }) => {
  const view = arg?.view === 'leaderboard' || arg?.view === 'approvals' || arg?.view === 'costs' || arg?.view === 'archive' || arg?.view === 'timeline' || arg?.view === 'chat' ? arg.view : 'overview';
  const runId = typeof arg?.runId === 'string' ? arg.runId : typeof arg?.run?.id === 'string' ? arg.run.id : undefined;
  ctx.dashboard.show({ view, ...(runId ? { runId } : {}) });
  return runId;
};

/** The run's group chat on the dashboard (a run item, { runId }, or picked from the palette). */
const openRunChat: CommandFactory = (ctx) => async (node?: unknown) => {
  const runId = await runIdFrom(ctx, node);
  if (!runId) return;
  ctx.dashboard.show({ view: 'chat', runId });
  return runId;
};

const chatWithManager: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const runId = await runIdFrom(ctx, node);
  if (!runId) return;
  const question = commandInput(options).message ?? await vscode.window.showInputBox({ prompt: `Ask the Manager about run ${runId}`, placeHolder: 'Why is the login task taking so long?', ignoreFocusOut: true });
  if (!question?.trim()) return;
  const answer = await ctx.connection.call('chat_manager', { runId, question });
  const text = typeof answer === 'string' ? answer : String((answer as { answer?: string; reply?: string })?.answer ?? (answer as { reply?: string })?.reply ?? JSON.stringify(answer, null, 2));
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# Manager on run ${runId}\n\n**You:** ${question}\n\n**Manager:** ${text}\n` });
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return text;
};

export const runCommands = {
  'aura.submitPrd': submitPrd,
  'aura.pauseRun': pauseRun,
  'aura.resumeRun': resumeRun,
  'aura.cancelRun': cancelRun,
  'aura.openDashboard': openDashboard,
  'aura.chatWithManager': chatWithManager,
  'aura.openRunChat': openRunChat,
} satisfies Record<string, CommandFactory>;
