// Rows of the memory tables and the domain shapes they become (kept apart, as the queue keeps TaskRow and Task).
import type { AuthorKind, MemoryAddress, MemoryScope } from './memory-schema';
import { memoryUri } from './memory-schema';

export interface MemoryVersionRow {
  id: number;
  scope: MemoryScope;
  namespace: string;
  key: string;
  version: number;
  deleted: boolean;
  content: string;
  tags: string[];
  author: string;
  author_kind: AuthorKind;
  run_id: string | null;
  event_id: number | null;
  created_at: Date | string;
  expires_at: Date | string | null;
}

export interface MemoryEntry extends MemoryAddress {
  uri: string;
  version: number;
  content: string;
  tags: string[];
  author: string;
  authorKind: AuthorKind;
  runId: string | null;
  /** When this version was written. */
  writtenAt: Date;
  expiresAt: Date | null;
}

export interface MemoryVersionInfo extends MemoryAddress {
  version: number;
  deleted: boolean;
  bytes: number;
  tags: string[];
  author: string;
  authorKind: AuthorKind;
  runId: string | null;
  eventId: number | null;
  writtenAt: Date;
}

const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));

export function toEntry(row: MemoryVersionRow): MemoryEntry {
  const address = { scope: row.scope, namespace: row.namespace, key: row.key };
  return {
    ...address,
    uri: memoryUri(address),
    version: Number(row.version),
    content: row.content,
    tags: row.tags ?? [],
    author: row.author,
    authorKind: row.author_kind,
    runId: row.run_id,
    writtenAt: date(row.created_at),
    expiresAt: row.expires_at === null ? null : date(row.expires_at),
  };
}

export function toVersionInfo(row: MemoryVersionRow): MemoryVersionInfo {
  return {
    scope: row.scope,
    namespace: row.namespace,
    key: row.key,
    version: Number(row.version),
    deleted: row.deleted,
    bytes: Buffer.byteLength(row.content),
    tags: row.tags ?? [],
    author: row.author,
    authorKind: row.author_kind,
    runId: row.run_id,
    eventId: row.event_id === null ? null : Number(row.event_id),
    writtenAt: date(row.created_at),
  };
}
