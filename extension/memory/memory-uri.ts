// The aura-memory: URI of an entry (or of one of its versions), for editors, diffs and the Memory view.
import * as vscode from 'vscode';
import { type MemoryAddressParts, memoryDocPath } from '../../webview-ui/protocol/memory-data';

export const MEMORY_SCHEME = 'aura-memory';

/** The current entry's editable document, or with `version` a read-only old version (an entry row's own version is not a pin). */
export function memoryDocUri(address: Omit<MemoryAddressParts, 'version'>, version?: number): vscode.Uri {
  const { path, query } = memoryDocPath({ scope: address.scope, namespace: address.namespace, key: address.key, version });
  return vscode.Uri.from({ scheme: MEMORY_SCHEME, path, query });
}
