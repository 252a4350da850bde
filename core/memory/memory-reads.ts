// Reading memory: an entry now, at a version, or as of a time or an event; its history; the diff of two versions.
import { createTwoFilesPatch } from 'diff';
import type { Clock } from '../domain/clock';
import { AuraError } from '../domain/errors';
import type { Queryable } from '../store/store';
import { type MemoryEntry, type MemoryVersionInfo, type MemoryVersionRow, toEntry, toVersionInfo } from './memory-rows';
import type { AsOf, WorkspaceAddress } from './memory-schema';

const name = (a: WorkspaceAddress) => `${a.scope}/${a.namespace}/${a.key}`;
const ADDRESS = 'workspace_id = $1 AND scope = $2 AND namespace = $3 AND key = $4';

/** The live entry: its newest version, unless deleted or expired (an expired entry reads as gone before the sweep). */
export async function readCurrent(q: Queryable, clock: Clock, a: WorkspaceAddress): Promise<MemoryEntry> {
  const row = (
    await q.query<MemoryVersionRow>(
      `SELECT * FROM aura.memory_versions WHERE ${ADDRESS} ORDER BY version DESC LIMIT 1`,
      [a.workspaceId, a.scope, a.namespace, a.key],
    )
  ).rows[0];
  if (!row || row.deleted || (row.expires_at !== null && new Date(row.expires_at) <= clock.now())) throw new AuraError('not_found', `No memory entry ${name(a)}.`);
  return toEntry(row);
}

export async function readVersion(q: Queryable, a: WorkspaceAddress, version: number): Promise<MemoryEntry> {
  const row = (await q.query<MemoryVersionRow>(`SELECT * FROM aura.memory_versions WHERE ${ADDRESS} AND version = $5`, [a.workspaceId, a.scope, a.namespace, a.key, version])).rows[0];
  if (!row) throw new AuraError('not_found', `${name(a)} has no version ${version}.`);
  if (row.deleted) throw new AuraError('not_found', `Version ${version} of ${name(a)} is its deletion.`);
  return toEntry(row);
}

/**
 * What was known as of a time or an event: the newest version written by then. Before its first version, after
 * a deletion, or past its expiry at that moment, there was no entry. Versions are ordered by the id of their
 * event when the question names an event (replay asks "as of this run's event"), by write time otherwise.
 */
export async function readAsOf(q: Queryable, a: WorkspaceAddress, asOf: AsOf): Promise<MemoryEntry> {
  let row: MemoryVersionRow | undefined;
  let at: Date;
  if ('eventId' in asOf) {
    row = (await q.query<MemoryVersionRow>(`SELECT * FROM aura.memory_versions WHERE ${ADDRESS} AND event_id <= $5 ORDER BY version DESC LIMIT 1`, [a.workspaceId, a.scope, a.namespace, a.key, asOf.eventId])).rows[0];
    const event = (await q.query<{ occurred_at: Date | string }>('SELECT occurred_at FROM aura.events WHERE id = $1', [asOf.eventId])).rows[0];
    if (!event) throw new AuraError('not_found', `No event ${asOf.eventId}.`);
    at = new Date(event.occurred_at);
  } else {
    at = new Date(asOf.at);
    row = (await q.query<MemoryVersionRow>(`SELECT * FROM aura.memory_versions WHERE ${ADDRESS} AND created_at <= $5 ORDER BY version DESC LIMIT 1`, [a.workspaceId, a.scope, a.namespace, a.key, at.toISOString()])).rows[0];
  }
  const when = 'eventId' in asOf ? `event ${asOf.eventId}` : at.toISOString();
  if (!row) throw new AuraError('not_found', `${name(a)} did not exist as of ${when}.`);
  if (row.deleted) throw new AuraError('not_found', `${name(a)} was deleted as of ${when} (version ${row.version}).`);
  if (row.expires_at !== null && new Date(row.expires_at) <= at) throw new AuraError('not_found', `${name(a)} had expired as of ${when}.`);
  return toEntry(row);
}

export async function readHistory(q: Queryable, a: WorkspaceAddress, limit = 200): Promise<MemoryVersionInfo[]> {
  const rows = await q.query<MemoryVersionRow>(`SELECT * FROM aura.memory_versions WHERE ${ADDRESS} ORDER BY version DESC LIMIT $5`, [a.workspaceId, a.scope, a.namespace, a.key, limit]);
  if (rows.rows.length === 0) throw new AuraError('not_found', `No memory entry ${name(a)}, now or before.`);
  return rows.rows.map(toVersionInfo);
}

/** A unified diff from one version to another (default: to the newest); a deletion diffs as empty content. */
export async function diffVersions(q: Queryable, a: WorkspaceAddress, from: number, to?: number): Promise<{ from: number; to: number; patch: string }> {
  const rows = (
    await q.query<MemoryVersionRow>(
      `SELECT * FROM aura.memory_versions WHERE ${ADDRESS} AND (version = $5 OR version = coalesce($6, (SELECT max(version) FROM aura.memory_versions WHERE ${ADDRESS})))`,
      [a.workspaceId, a.scope, a.namespace, a.key, from, to ?? null],
    )
  ).rows;
  const older = rows.find((r) => Number(r.version) === from);
  const newer = to === undefined ? rows.reduce<MemoryVersionRow | undefined>((best, r) => (!best || Number(r.version) > Number(best.version) ? r : best), undefined) : rows.find((r) => Number(r.version) === to);
  if (!older) throw new AuraError('not_found', `${name(a)} has no version ${from}.`);
  if (!newer) throw new AuraError('not_found', `${name(a)} has no version ${to}.`);
  const label = (r: MemoryVersionRow) => `${name(a)} v${r.version}${r.deleted ? ' (deleted)' : ''}`;
  const patch = createTwoFilesPatch(label(older), label(newer), withNewline(older.content), withNewline(newer.content), '', '', { context: 3 });
  return { from: Number(older.version), to: Number(newer.version), patch };
}

const withNewline = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
