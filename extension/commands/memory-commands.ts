// Commands on memory: new entry, search, history (a diff against any version), delete with confirmation.
import * as vscode from 'vscode';
import { z } from 'zod';
import { parseList } from '../../webview-ui/protocol/aura-data';
import { type MemoryEntryRow, memoryEntrySchema, memoryScopeNames, memoryVersionSchema } from '../../webview-ui/protocol/memory-data';
import { memoryDocUri } from '../memory/memory-uri';
import { askReason, type CommandFactory, commandInput, confirm } from './command-context';

/** A tree node of the Memory view carries its entry; anything else is asked for. */
const entryOf = (node: unknown): MemoryEntryRow | undefined => {
  const parsed = z.object({ kind: z.literal('memory-entry'), entry: memoryEntrySchema }).safeParse(node);
  return parsed.success ? parsed.data.entry : undefined;
};

const newEntryInput = z.object({ scope: z.enum(memoryScopeNames), key: z.string().min(1), namespace: z.string().min(1).optional(), content: z.string().min(1).optional() });

const newMemoryEntry: CommandFactory = (ctx) => async (answers?: unknown) => {
  const given = newEntryInput.safeParse(answers);
  let input = given.success ? given.data : undefined;
  if (!input) {
    const scope = await vscode.window.showQuickPick([...memoryScopeNames], { title: 'New memory entry (1/2): scope', ignoreFocusOut: true });
    if (!scope) return;
    const namespace = scope === 'run' ? await vscode.window.showInputBox({ title: 'The run this entry belongs to (run id)', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'required') }) : undefined;
    if (scope === 'run' && !namespace) return;
    const key = await vscode.window.showInputBox({ title: 'New memory entry (2/2): key', placeHolder: 'architecture/database', ignoreFocusOut: true, validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/.test(v) ? undefined : 'letters, digits and . _ - /') });
    if (!key) return;
    input = { scope: scope as MemoryEntryRow['scope'], key, namespace };
  }
  const answer = (await ctx.connection.call('memory_put', { scope: input.scope, key: input.key, ...(input.namespace ? { namespace: input.namespace } : {}), content: input.content ?? `# ${input.key}\n`, expectedVersion: 0 })) as { entry?: unknown };
  const entry = memoryEntrySchema.parse(answer.entry);
  ctx.refreshAll();
  await vscode.window.showTextDocument(memoryDocUri(entry));
  return entry;
};

const searchMemory: CommandFactory = (ctx) => async (query?: unknown) => {
  const text = typeof query === 'string' && query ? query : await vscode.window.showInputBox({ title: 'Search memory', placeHolder: 'words or a question', ignoreFocusOut: true });
  if (!text) return;
  const hits = parseList(await ctx.connection.call('memory_search', { query: text, limit: 20 }), 'hits', memoryEntrySchema);
  if (hits.length === 0) return void vscode.window.showInformationMessage(`Nothing in memory matches "${text}".`);
  const pick = await vscode.window.showQuickPick(
    hits.map((h) => ({ label: h.key, description: `${h.scope}/${h.namespace} · v${h.version}`, detail: h.content.replace(/\s+/g, ' ').slice(0, 200), entry: h })),
    { title: `Memory matching "${text}"`, matchOnDescription: true, matchOnDetail: true },
  );
  if (pick) await vscode.window.showTextDocument(memoryDocUri(pick.entry));
  return hits;
};

const memoryHistory: CommandFactory = (ctx) => async (node?: unknown) => {
  const entry = entryOf(node);
  if (!entry) return void vscode.window.showInformationMessage('Choose an entry in the Memory view to see its history.');
  const where = { scope: entry.scope, namespace: entry.namespace, key: entry.key };
  const versions = parseList(await ctx.connection.call('memory_history', where), 'versions', memoryVersionSchema);
  const older = versions.filter((v) => !v.deleted && v.version !== entry.version);
  if (older.length === 0) return void vscode.window.showInformationMessage(`${entry.key} has only version ${entry.version}.`);
  const pick = await vscode.window.showQuickPick(
    older.map((v) => ({ label: `v${v.version}`, description: `${v.author} · ${v.writtenAt}${v.runId ? ` · run ${v.runId}` : ''}`, version: v.version })),
    { title: `History of ${entry.key}: compare a version with v${entry.version}` },
  );
  if (!pick) return;
  await vscode.commands.executeCommand('vscode.diff', memoryDocUri(where, pick.version), memoryDocUri(where), `${entry.key}: v${pick.version} ↔ v${entry.version}`);
  return versions;
};

const deleteMemoryEntry: CommandFactory = (ctx) => async (node?: unknown, options?: unknown) => {
  const entry = entryOf(node);
  if (!entry) return void vscode.window.showInformationMessage('Choose an entry in the Memory view to delete it.');
  const input = commandInput(options);
  if (!(await confirm(input, `Delete ${entry.uri}?`, 'Delete', 'It leaves search and every context; its history stays readable as of earlier times. The deletion is recorded.'))) return;
  const reason = input.reason ?? (await askReason('Why delete this entry?', false));
  if (reason === undefined) return;
  const result = await ctx.connection.call('memory_delete', { scope: entry.scope, namespace: entry.namespace, key: entry.key, ...(reason ? { reason } : {}) });
  ctx.refreshAll();
  void vscode.window.showInformationMessage(`Deleted ${entry.key}.`);
  return result;
};

export const memoryCommands = {
  'aura.newMemoryEntry': newMemoryEntry,
  'aura.searchMemory': searchMemory,
  'aura.memoryHistory': memoryHistory,
  'aura.deleteMemoryEntry': deleteMemoryEntry,
} satisfies Record<string, CommandFactory>;
