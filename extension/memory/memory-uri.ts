// The aura-memory: URI of an entry (or of one of its versions), for editors, diffs and the Memory view.
import * as vscode from 'vscode';
import { type MemoryAddressParts, memoryDocPath } from '../../webview-ui/protocol/memory-data';

export const MEMORY_SCHEME = 'aura-memory';

export function memoryDocUri(address: MemoryAddressParts): vscode.Uri {
  const { path, query } = memoryDocPath(address);
  return vscode.Uri.from({ scheme: MEMORY_SCHEME, path, query });
}
