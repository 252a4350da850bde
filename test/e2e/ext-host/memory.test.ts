// The Memory commands and documents inside a real VS Code extension host against a real `aura serve`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AuraExtensionApi } from '../../../extension/extension';
import { memoryEntrySchema } from '../../../webview-ui/protocol/memory-data';

const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8')) as { mcpUrl: string; token: string };
const KEY = 'ext-host/notes';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Aura memory in the extension host', () => {
  let api: AuraExtensionApi;
  const current = async () => memoryEntrySchema.parse(((await api.context.connection.call('memory_get', { scope: 'project', key: KEY })) as { entry: unknown }).entry);

  before(async () => {
    api = (await vscode.extensions.getExtension<AuraExtensionApi>('aura-orchestra.aura-orchestra')!.activate())!;
    if (api.context.connection.state !== 'connected') {
      await api.context.secrets.setToken(config.mcpUrl, config.token);
      await vscode.commands.executeCommand('aura.connect');
    }
    assert.equal(api.context.connection.state, 'connected', api.context.connection.detail);
  });

  it('creates an entry and opens it as a Markdown document ("New Memory Entry")', async () => {
    await vscode.commands.executeCommand('aura.newMemoryEntry', { scope: 'project', key: KEY, content: '# Notes\n\nfirst\n' });
    await until('the entry to open', () => vscode.window.activeTextEditor?.document.uri.scheme === 'aura-memory');
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.path, `/project/default/${KEY}.md`);
    assert.equal(doc.uri.query, '', 'the current version opens editable, not pinned to a version');
    assert.equal(doc.getText(), '# Notes\n\nfirst\n');
    assert.equal(doc.languageId, 'markdown');
  });

  it('saves an edit of the document as a new version', async () => {
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((b) => b.insert(editor.document.positionAt(editor.document.getText().length), 'second\n'));
    assert.ok(await editor.document.save(), 'the document saved');
    const entry = await current();
    assert.equal(entry.version, 2);
    assert.equal(entry.content, '# Notes\n\nfirst\nsecond\n');
    assert.equal(entry.authorKind, 'director');
  });

  it('reads an old version as its own document', async () => {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'aura-memory', path: `/project/default/${KEY}.md`, query: 'version=1' }));
    assert.equal(Buffer.from(bytes).toString('utf8'), '# Notes\n\nfirst\n');
  });

  it('finds the entry by search ("Search Memory")', async () => {
    // The quick pick of hits waits for a person: close it until the command returns the hits it offered.
    let done = false;
    const pending = Promise.resolve(vscode.commands.executeCommand('aura.searchMemory', 'second')).then((v) => ((done = true), v as Array<{ key: string }> | undefined));
    await until('the search to offer its hits', async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return done;
    });
    assert.ok((await pending)?.some((h) => h.key === KEY));
  });

  it('deletes the entry once confirmed ("Delete Memory Entry")', async () => {
    const entry = await current();
    await vscode.commands.executeCommand('aura.deleteMemoryEntry', { kind: 'memory-entry', entry }, { confirmed: true, reason: 'extension-host test' });
    await assert.rejects(current(), /not_found/);
  });
});
