// The event log: appends hash-chained, signed events (alone or inside a caller's transaction) and reads them.
import { AuraError } from '../domain/errors';
import type { Clock } from '../domain/clock';
import { systemClock } from '../domain/clock';
import type { Queryable, Store } from '../store/store';
import type { EventPayload, EventType } from './catalog';
import { parsePayload } from './catalog';
import { type AuditSigner, hashEvent, headMessage } from './chain';
import { type EventRow, eventColumns, type StoredEvent, toStoredEvent } from './stored-event';
import { eventWorkspaceSql } from '../tenancy/workspace-filter';

export const SYSTEM_STREAM = 'system';
/** NOTIFY channel that carries the stream name of every committed append. */
export const EVENTS_CHANNEL = 'aura_events';

export type NewEvent<T extends EventType = EventType> = {
  [K in T]: {
    type: K;
    payload: EventPayload<K>;
    actor: string;
    runId?: string | null;
    taskId?: string | null;
    /** Defaults to the run's id, or 'system' for events outside a run. */
    stream?: string;
  };
}[T];

export interface EventQuery {
  stream?: string;
  runId?: string;
  taskId?: string;
  types?: readonly EventType[];
  since?: Date;
  until?: Date;
  /** Only events with id greater than this (paging cursor). */
  afterId?: number;
  limit?: number;
  /** Only events of this team workspace (core/tenancy/workspace-filter.ts says which workspace an event belongs to). */
  workspaceId?: string;
}

export interface EventLog {
  append<T extends EventType>(event: NewEvent<T>): Promise<StoredEvent<T>>;
  /** Appends in the caller's transaction, so a state change and its events commit together. */
  appendIn(tx: Queryable, events: readonly NewEvent[]): Promise<StoredEvent[]>;
  query(filter: EventQuery): Promise<StoredEvent[]>;
}

export interface EventLogDeps {
  store: Store;
  signer: AuditSigner;
  clock?: Clock;
  /** Told of every event written (for metrics); in appendIn, before the caller's transaction commits. */
  onAppended?: (events: readonly StoredEvent[]) => void;
}

const MAX_QUERY = 1000;

export function createEventLog({ store, signer, clock = systemClock, onAppended }: EventLogDeps): EventLog {
  const appendIn = async (tx: Queryable, events: readonly NewEvent[]): Promise<StoredEvent[]> => {
    if (events.length === 0) return [];
    const prepared = events.map((event) => prepare(event));
    // Lock heads in a fixed order so two transactions appending to the same streams never deadlock.
    const streams = [...new Set(prepared.map((e) => e.stream))].sort();
    const out: StoredEvent[] = new Array(prepared.length);
    for (const stream of streams) {
      const head = await tx.query<{ seq: number; hash: string }>(
        `INSERT INTO aura.event_heads AS h (stream, seq, hash) VALUES ($1, 0, '')
         ON CONFLICT (stream) DO UPDATE SET seq = h.seq
         RETURNING seq, hash`,
        [stream],
      );
      let seq = Number(head.rows[0]!.seq);
      let prevHash = head.rows[0]!.hash;
      const now = clock.now();
      const cols = { stream: [] as string[], seq: [] as number[], type: [] as string[], run: [] as (string | null)[], task: [] as (string | null)[], actor: [] as string[], payload: [] as string[], at: [] as string[], prev: [] as string[], hash: [] as string[], hmac: [] as string[] };
      const indexes: number[] = [];
      prepared.forEach((event, index) => {
        if (event.stream !== stream) return;
        seq += 1;
        const occurredAt = now.toISOString();
        const hash = hashEvent(prevHash, { stream, seq, type: event.type, runId: event.runId, taskId: event.taskId, actor: event.actor, payload: event.payload, occurredAt });
        cols.stream.push(stream);
        cols.seq.push(seq);
        cols.type.push(event.type);
        cols.run.push(event.runId);
        cols.task.push(event.taskId);
        cols.actor.push(event.actor);
        cols.payload.push(JSON.stringify(event.payload));
        cols.at.push(occurredAt);
        cols.prev.push(prevHash);
        cols.hash.push(hash);
        cols.hmac.push(signer.sign(hash));
        indexes.push(index);
        out[index] = { id: 0, stream, seq, type: event.type, runId: event.runId, taskId: event.taskId, actor: event.actor, payload: event.payload, occurredAt: new Date(occurredAt), hash } as StoredEvent;
        prevHash = hash;
      });
      // One round trip: insert the events, move the head, and queue the wake-up for listeners.
      const inserted = await tx.query<{ id: number }>(
        `WITH ins AS (
           INSERT INTO aura.events (stream, seq, type, run_id, task_id, actor, payload, occurred_at, prev_hash, hash, hmac)
           SELECT s, q, t, r, k, a, p::jsonb, o::timestamptz, ph, h, m
             FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
               AS u(s, q, t, r, k, a, p, o, ph, h, m)
           ORDER BY q
           RETURNING id, seq),
         head AS (UPDATE aura.event_heads SET seq = $12, hash = $13, hmac = $16 WHERE stream = $14 RETURNING 1)
         SELECT ins.id FROM ins, head, (SELECT pg_notify($15, $14)) AS n ORDER BY ins.seq`,
        [cols.stream, cols.seq, cols.type, cols.run, cols.task, cols.actor, cols.payload, cols.at, cols.prev, cols.hash, cols.hmac, seq, prevHash, stream, EVENTS_CHANNEL, signer.sign(headMessage(stream, seq, prevHash))],
      );
      if (inserted.rows.length !== indexes.length) throw new AuraError('internal', `Appending to ${stream} wrote ${inserted.rows.length} of ${indexes.length} events.`);
      inserted.rows.forEach((row, i) => (out[indexes[i]!]!.id = Number(row.id)));
    }
    onAppended?.(out);
    return out;
  };

  return {
    async append(event) {
      const [stored] = await store.transaction((tx) => appendIn(tx, [event as NewEvent]));
      return stored as StoredEvent<never>;
    },
    appendIn,
    async query(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (filter.stream) add('stream = ?', filter.stream);
      if (filter.runId) add('run_id = ?', filter.runId);
      if (filter.taskId) add('task_id = ?', filter.taskId);
      if (filter.types?.length) add('type = ANY(?::text[])', filter.types);
      if (filter.since) add('occurred_at >= ?', filter.since.toISOString());
      if (filter.until) add('occurred_at < ?', filter.until.toISOString());
      if (filter.afterId !== undefined) add('id > ?', filter.afterId);
      if (filter.workspaceId) add(`${eventWorkspaceSql('aura.events')} = ?`, filter.workspaceId);
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), MAX_QUERY);
      const result = await store.query<EventRow>(
        `SELECT ${eventColumns} FROM aura.events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id LIMIT ${limit}`,
        params,
      );
      return result.rows.map(toStoredEvent);
    },
  };
}

interface PreparedEvent {
  type: EventType;
  payload: unknown;
  actor: string;
  runId: string | null;
  taskId: string | null;
  stream: string;
}

function prepare(event: NewEvent): PreparedEvent {
  const payload = parsePayload(event.type, event.payload, 'write');
  if (!event.actor) throw new AuraError('invalid_input', `${event.type}: every event names its actor.`);
  assertStorableText(payload, event.type);
  const runId = event.runId ?? null;
  return { type: event.type, payload, actor: event.actor, runId, taskId: event.taskId ?? null, stream: event.stream ?? runId ?? SYSTEM_STREAM };
}

/** PostgreSQL's jsonb cannot hold U+0000; refuse it up front with a clear error rather than a driver error. */
function assertStorableText(value: unknown, type: string): void {
  const json = JSON.stringify(value);
  if (json.includes('\\u0000')) throw new AuraError('invalid_input', `${type}: text containing the NUL character (U+0000) cannot be stored.`);
}
