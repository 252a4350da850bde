// Memory entries as Markdown documents (scheme aura-memory:): reading calls memory_get, saving calls memory_put, so
// every save is a new version with the Director as its author. A ?version=N document is a read-only old version.
import * as vscode from 'vscode';
import { memoryEntrySchema, parseMemoryDocPath } from '../../webview-ui/protocol/memory-data';
import type { Connection } from '../connection/connection';

export class MemoryDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** The version each open document was read at, so a save only overwrites what the editor showed. */
  private readonly versions = new Map<string, number>();

  constructor(private readonly connection: Connection) {}

  private address(uri: vscode.Uri) {
    const address = parseMemoryDocPath(uri.path, uri.query);
    if (!address) throw vscode.FileSystemError.FileNotFound(uri);
    return address;
  }

  private async entry(uri: vscode.Uri) {
    const { version, ...where } = this.address(uri);
    try {
      const answer = (await this.connection.call('memory_get', { ...where, ...(version ? { version } : {}) })) as { entry?: unknown };
      return memoryEntrySchema.parse(answer.entry);
    } catch (error) {
      if (/not_found/.test(String((error as Error).message))) throw vscode.FileSystemError.FileNotFound(uri);
      throw error;
    }
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const entry = await this.entry(uri);
    const written = Date.parse(entry.writtenAt) || Date.now();
    const pinned = this.address(uri).version !== undefined;
    return { type: vscode.FileType.File, ctime: written, mtime: written, size: Buffer.byteLength(entry.content), permissions: pinned ? vscode.FilePermission.Readonly : undefined };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const entry = await this.entry(uri);
    if (this.address(uri).version === undefined) this.versions.set(uri.toString(), entry.version);
    return Buffer.from(entry.content, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { version, ...where } = this.address(uri);
    if (version !== undefined) throw vscode.FileSystemError.NoPermissions('An old version of a memory entry cannot be changed; edit the current one.');
    const text = Buffer.from(content).toString('utf8');
    if (!text.trim()) throw vscode.FileSystemError.NoPermissions('A memory entry cannot be empty; delete it instead.');
    // Compare-and-set: someone else's newer version is not silently overwritten.
    const expectedVersion = this.versions.get(uri.toString());
    const answer = (await this.connection.call('memory_put', { ...where, content: text, ...(expectedVersion !== undefined ? { expectedVersion } : {}) })) as { entry?: unknown };
    this.versions.set(uri.toString(), memoryEntrySchema.parse(answer.entry).version);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): void {
    // Deleting goes through the Delete command, which asks for confirmation and a reason.
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
