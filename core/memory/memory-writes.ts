// Writing memory: every put is a new version with its author and a MemoryWritten event; a delete is a tombstone
// version with a MemoryDeleted event. Version, row and event commit together, under a per-entry lock.
import { createHash } from 'node:crypto';
import type { Clock } from '../domain/clock';
import { AuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Queryable } from '../store/store';
import type { MemoryVersionRow } from './memory-rows';
import type { AuthorKind, WorkspaceAddress } from './memory-schema';
import type { MemorySettings } from './memory-settings';

/** Memory events have a chain of their own, so busy memory never queues behind the system stream's head lock. */
export const MEMORY_STREAM = 'memory';

export interface MemoryAuthor {
  /** The actor as the event log names it ("director:local", "manager", "employee:emp_…"). */
  actor: string;
  kind: AuthorKind;
}

export interface WriteRequest {
  /** Where, inside which team workspace (a run's lessons: its run's; a token's write: its token's). */
  address: WorkspaceAddress;
  content: string;
  tags: string[];
  runId: string | null;
  expectedVersion?: number;
  /** The event this write is made from (run lessons): a second write from it is a no-op. */
  sourceEventId?: number;
}

export interface WriteDeps {
  events: EventLog;
  clock: Clock;
  settings: MemorySettings;
}

const lockKey = (a: WorkspaceAddress) => `aura.memory:${a.workspaceId}:${a.scope}/${a.namespace}/${a.key}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function lastVersion(tx: Queryable, a: WorkspaceAddress): Promise<MemoryVersionRow | undefined> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(a)]);
  const rows = await tx.query<MemoryVersionRow>(
    'SELECT * FROM aura.memory_versions WHERE workspace_id = $1 AND scope = $2 AND namespace = $3 AND key = $4 ORDER BY version DESC LIMIT 1',
    [a.workspaceId, a.scope, a.namespace, a.key],
  );
  return rows.rows[0];
}

/** The live version number: 0 when the entry does not exist, was deleted, or has expired. */
const liveVersion = (last: MemoryVersionRow | undefined, now: Date) =>
  !last || last.deleted || (last.expires_at !== null && new Date(last.expires_at) <= now) ? 0 : Number(last.version);

/** Writes a new version in `tx`; an unchanged content and tags write nothing and return the current version. */
export async function writeVersion(tx: Queryable, deps: WriteDeps, request: WriteRequest, author: MemoryAuthor): Promise<{ row: MemoryVersionRow; written: boolean }> {
  const { address: a } = request;
  const now = deps.clock.now();
  const last = await lastVersion(tx, a);
  if (request.sourceEventId !== undefined) {
    const done = await tx.query<MemoryVersionRow>(
      'SELECT * FROM aura.memory_versions WHERE source_event_id = $1 AND workspace_id = $2 AND scope = $3 AND namespace = $4 AND key = $5',
      [request.sourceEventId, a.workspaceId, a.scope, a.namespace, a.key],
    );
    if (done.rows[0]) return { row: done.rows[0], written: false };
  }
  const live = liveVersion(last, now);
  if (request.expectedVersion !== undefined && request.expectedVersion !== live) {
    throw new AuraError('conflict', `${a.scope}/${a.namespace}/${a.key} is at version ${live}, not ${request.expectedVersion}; read it again and retry.`, { details: { version: live } });
  }
  const tags = [...new Set(request.tags)].sort();
  if (last && live > 0 && last.content === request.content && JSON.stringify([...last.tags].sort()) === JSON.stringify(tags) && request.sourceEventId === undefined) {
    return { row: last, written: false };
  }
  const version = Number(last?.version ?? 0) + 1;
  const ttl = deps.settings.ttlMs[a.scope];
  const expiresAt = ttl === null ? null : new Date(now.getTime() + ttl).toISOString();
  const [event] = await deps.events.appendIn(tx, [
    {
      type: 'MemoryWritten',
      stream: MEMORY_STREAM,
      runId: request.runId,
      actor: author.actor,
      payload: { ...a, version, authorKind: author.kind, contentHash: sha256(request.content), bytes: Buffer.byteLength(request.content), tags, expiresAt },
    },
  ]);
  const row = (
    await tx.query<MemoryVersionRow>(
      `INSERT INTO aura.memory_versions (scope, namespace, key, version, content, tags, author, author_kind, run_id, event_id, source_event_id, created_at, expires_at, workspace_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
      [a.scope, a.namespace, a.key, version, request.content, tags, author.actor, author.kind, request.runId, event!.id, request.sourceEventId ?? null, now.toISOString(), expiresAt, a.workspaceId],
    )
  ).rows[0]!;
  // The current version replaces the entry's row; its embedding is made again from the new content.
  await tx.query(
    `INSERT INTO aura.memory_entries AS e (scope, namespace, key, version, content, tags, author, author_kind, run_id, created_at, updated_at, expires_at, workspace_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)
     ON CONFLICT (workspace_id, scope, namespace, key) DO UPDATE SET version = EXCLUDED.version, content = EXCLUDED.content, tags = EXCLUDED.tags,
       author = EXCLUDED.author, author_kind = EXCLUDED.author_kind, run_id = EXCLUDED.run_id, updated_at = EXCLUDED.updated_at,
       expires_at = EXCLUDED.expires_at, embedding = NULL, embedding_model = NULL`,
    [a.scope, a.namespace, a.key, version, request.content, tags, author.actor, author.kind, request.runId, now.toISOString(), expiresAt, a.workspaceId],
  );
  return { row, written: true };
}

/** Deletes an entry: a tombstone version (history stays readable as of earlier times) and the live row goes. */
export async function deleteEntry(tx: Queryable, deps: WriteDeps, a: WorkspaceAddress, reason: string | null, author: MemoryAuthor): Promise<number> {
  const now = deps.clock.now();
  const last = await lastVersion(tx, a);
  if (liveVersion(last, now) === 0) throw new AuraError('not_found', `No memory entry ${a.scope}/${a.namespace}/${a.key}.`);
  const version = Number(last!.version) + 1;
  const [event] = await deps.events.appendIn(tx, [{ type: 'MemoryDeleted', stream: MEMORY_STREAM, runId: last!.run_id, actor: author.actor, payload: { ...a, version, reason } }]);
  await tx.query(
    `INSERT INTO aura.memory_versions (scope, namespace, key, version, deleted, content, tags, author, author_kind, run_id, event_id, created_at, expires_at, workspace_id)
     VALUES ($1, $2, $3, $4, true, '', '{}', $5, $6, $7, $8, $9, NULL, $10)`,
    [a.scope, a.namespace, a.key, version, author.actor, author.kind, last!.run_id, event!.id, now.toISOString(), a.workspaceId],
  );
  await tx.query('DELETE FROM aura.memory_entries WHERE workspace_id = $1 AND scope = $2 AND namespace = $3 AND key = $4', [a.workspaceId, a.scope, a.namespace, a.key]);
  return version;
}
