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
  /**
   * For a statement that makes a transition and appends its events at once (aura.append_at_heads): the events
   * chained from the heads this process last wrote, or null when it knows the head of none or not all of their
   * streams. The statement checks the heads; `written` is told the ids it returned.
   */
  chainAtKnownHeads(events: readonly NewEvent[]): PrechainedEvents | null;
}

export interface PrechainedEvents {
  /** The 17 array arguments of aura.append_at_heads, in its order (events, then heads). */
  params: unknown[];
  /** The streams appended to, in the order their heads are taken. */
  streams: readonly string[];
  /** Once the statement succeeded: its ids, in the order it returned them; gives back the stored events in input order. */
  written(ids: readonly number[]): StoredEvent[];
}

export interface EventLogDeps {
  store: Store;
  signer: AuditSigner;
  clock?: Clock;
  /** Told of every event written (for metrics); in appendIn, before the caller's transaction commits. */
  onAppended?: (events: readonly StoredEvent[]) => void;
}

const MAX_QUERY = 1000;
/** Streams whose head one process remembers (a run each); past it the memory starts again. */
const MAX_KNOWN_HEADS = 10_000;

/** Takes the stream's head row (created at seq 0) until commit and reads it. */
const LOCK_HEAD = `INSERT INTO aura.event_heads AS h (stream, seq, hash) VALUES ($1, 0, '')
   ON CONFLICT (stream) DO UPDATE SET seq = h.seq
   RETURNING seq, hash`;

const INSERT_EVENTS = `INSERT INTO aura.events (stream, seq, type, run_id, task_id, actor, payload, occurred_at, prev_hash, hash, hmac)
     SELECT s, q, t, r, k, a, p::jsonb, o::timestamptz, ph, h, m
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS u(s, q, t, r, k, a, p, o, ph, h, m)`;

/** The head is locked: insert the events, move the head, and queue the wake-up for listeners. */
const APPEND_AT_LOCKED_HEAD = `WITH ins AS (${INSERT_EVENTS}
     ORDER BY q
     RETURNING id, seq),
   head AS (UPDATE aura.event_heads SET seq = $12, hash = $13, hmac = $16 WHERE stream = $14 RETURNING 1)
   SELECT ins.id FROM ins, head, (SELECT pg_notify($15, $14)) AS n ORDER BY ins.seq`;

/**
 * The head is believed to be at ($17, $18): move it from exactly there (which locks it) and insert the events only
 * if it moved; no rows back means it was elsewhere and nothing was written.
 */
const APPEND_FROM_KNOWN_HEAD = `WITH head AS (UPDATE aura.event_heads SET seq = $12, hash = $13, hmac = $16 WHERE stream = $14 AND seq = $17 AND hash = $18 RETURNING 1),
   ins AS (${INSERT_EVENTS}, head
     ORDER BY q
     RETURNING id, seq)
   SELECT ins.id FROM ins, (SELECT pg_notify($15, $14)) AS n ORDER BY ins.seq`;

interface Chained {
  params: unknown[];
  /** Where each event of the stream stands in the caller's list. */
  indexes: number[];
  stored: StoredEvent[];
  seq: number;
  hash: string;
}

export function createEventLog({ store, signer, clock = systemClock, onAppended }: EventLogDeps): EventLog {
  // The head this process last wrote per stream. An append to a stream it knows moves the head only from exactly
  // that seq and hash, in the statement that inserts the events (one round trip, no separate head lock); if another
  // writer moved it meanwhile (or the transaction that wrote it rolled back) nothing is written and the append takes
  // the head's lock and reads it, as it does for a stream it does not know. The database decides, never the cache.
  const heads = new Map<string, { seq: number; hash: string }>();

  const chainFrom = (stream: string, prepared: readonly PreparedEvent[], seq: number, prevHash: string): Chained => {
    const now = clock.now();
    const occurredAt = now.toISOString();
    const cols = { stream: [] as string[], seq: [] as number[], type: [] as string[], run: [] as (string | null)[], task: [] as (string | null)[], actor: [] as string[], payload: [] as string[], at: [] as string[], prev: [] as string[], hash: [] as string[], hmac: [] as string[] };
    const indexes: number[] = [];
    const stored: StoredEvent[] = [];
    prepared.forEach((event, index) => {
      if (event.stream !== stream) return;
      seq += 1;
      const hash = hashEvent(prevHash, { stream, seq, type: event.type, runId: event.runId, taskId: event.taskId, actor: event.actor, payload: event.payload, occurredAt });
      cols.stream.push(stream);
      cols.seq.push(seq);
      cols.type.push(event.type);
      cols.run.push(event.runId);
      cols.task.push(event.taskId);
      cols.actor.push(event.actor);
      cols.payload.push(event.json);
      cols.at.push(occurredAt);
      cols.prev.push(prevHash);
      cols.hash.push(hash);
      cols.hmac.push(signer.sign(hash));
      indexes.push(index);
      stored.push({ id: 0, stream, seq, type: event.type, runId: event.runId, taskId: event.taskId, actor: event.actor, payload: event.payload, occurredAt: new Date(occurredAt), hash } as StoredEvent);
      prevHash = hash;
    });
    const params = [cols.stream, cols.seq, cols.type, cols.run, cols.task, cols.actor, cols.payload, cols.at, cols.prev, cols.hash, cols.hmac, seq, prevHash, stream, EVENTS_CHANNEL, signer.sign(headMessage(stream, seq, prevHash))];
    return { params, indexes, stored, seq, hash: prevHash };
  };

  const appendIn = (tx: Queryable, events: readonly NewEvent[]): Promise<StoredEvent[]> => appendPrepared(tx, events.map((event) => prepare(event)));

  const appendPrepared = async (tx: Queryable, prepared: readonly PreparedEvent[]): Promise<StoredEvent[]> => {
    if (prepared.length === 0) return [];
    // Lock heads in a fixed order so two transactions appending to the same streams never deadlock.
    const streams = [...new Set(prepared.map((e) => e.stream))].sort();
    const out: StoredEvent[] = new Array(prepared.length);
    for (const stream of streams) {
      let chained: Chained | null = null;
      let ids: Array<{ id: number }> = [];
      const known = heads.get(stream);
      if (known) {
        chained = chainFrom(stream, prepared, known.seq, known.hash);
        ids = (await tx.query<{ id: number }>(APPEND_FROM_KNOWN_HEAD, [...chained.params, known.seq, known.hash])).rows;
        if (ids.length === 0) chained = null;
      }
      if (!chained) {
        const head = await tx.query<{ seq: number; hash: string }>(LOCK_HEAD, [stream]);
        chained = chainFrom(stream, prepared, Number(head.rows[0]!.seq), head.rows[0]!.hash);
        ids = (await tx.query<{ id: number }>(APPEND_AT_LOCKED_HEAD, chained.params)).rows;
      }
      const { indexes, stored } = chained;
      if (ids.length !== indexes.length) throw new AuraError('internal', `Appending to ${stream} wrote ${ids.length} of ${indexes.length} events.`);
      if (heads.size >= MAX_KNOWN_HEADS && !heads.has(stream)) heads.clear();
      heads.set(stream, { seq: chained.seq, hash: chained.hash });
      indexes.forEach((index, i) => {
        stored[i]!.id = Number(ids[i]!.id);
        out[index] = stored[i]!;
      });
    }
    onAppended?.(out);
    return out;
  };

  const chainAtKnownHeads = (events: readonly NewEvent[]): PrechainedEvents | null => (events.length === 0 ? null : chainPrepared(events.map((event) => prepare(event))));

  const chainPrepared = (prepared: readonly PreparedEvent[]): PrechainedEvents | null => {
    const streams = [...new Set(prepared.map((e) => e.stream))].sort();
    const parts: Array<{ stream: string; from: { seq: number; hash: string }; chained: Chained }> = [];
    for (const stream of streams) {
      const from = heads.get(stream);
      if (!from) return null;
      parts.push({ stream, from, chained: chainFrom(stream, prepared, from.seq, from.hash) });
    }
    const eventArrays = Array.from({ length: 11 }, (_, i) => parts.flatMap((p) => p.chained.params[i] as unknown[]));
    const headArrays = [parts.map((p) => p.stream), parts.map((p) => p.from.seq), parts.map((p) => p.from.hash), parts.map((p) => p.chained.seq), parts.map((p) => p.chained.hash), parts.map((p) => p.chained.params[15])];
    return {
      streams,
      params: [...eventArrays, ...headArrays],
      written(ids) {
        if (ids.length !== prepared.length) throw new AuraError('internal', `A transition wrote ${ids.length} of ${prepared.length} events.`);
        const out: StoredEvent[] = new Array(prepared.length);
        let k = 0;
        for (const { stream, chained } of parts) {
          chained.indexes.forEach((index, i) => {
            chained.stored[i]!.id = Number(ids[k++]);
            out[index] = chained.stored[i]!;
          });
          heads.set(stream, { seq: chained.seq, hash: chained.hash });
        }
        onAppended?.(out);
        return out;
      },
    };
  };

  // Appends of their own (append) wait for the statement in flight and then go together: one statement and one commit
  // for all that queued meanwhile, whatever their streams, when this process knows every head; else a transaction
  // per stream. (Commits that NOTIFY take turns in PostgreSQL anyway; one commit for many is what scales.)
  type Waiting = { event: PreparedEvent; resolve: (stored: StoredEvent) => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let draining = false;

  /** Events of one stream in a transaction of their own. */
  const appendAlone = async (stream: string, prepared: readonly PreparedEvent[]): Promise<StoredEvent[]> => {
    // A stream whose head this process wrote last: one statement, no BEGIN and COMMIT around it.
    const known = heads.get(stream);
    if (known) {
      const chained = chainFrom(stream, prepared, known.seq, known.hash);
      const ids = (await store.query<{ id: number }>(APPEND_FROM_KNOWN_HEAD, [...chained.params, known.seq, known.hash])).rows;
      if (ids.length === chained.indexes.length) {
        heads.set(stream, { seq: chained.seq, hash: chained.hash });
        chained.stored.forEach((e, i) => (e.id = Number(ids[i]!.id)));
        onAppended?.(chained.stored);
        return chained.stored;
      }
      heads.delete(stream);
    }
    return store.transaction((tx) => appendPrepared(tx, prepared));
  };

  /** Several streams whose heads are all known here, in one statement; false when one head was elsewhere (nothing written). */
  const appendAcross = async (batch: readonly Waiting[]): Promise<boolean> => {
    const chained = chainPrepared(batch.map((w) => w.event));
    if (!chained) return false;
    try {
      const result = await store.query<{ ids: number[] }>(`SELECT aura.append_at_heads(${chained.params.map((_, i) => `$${i + 1}`).join(', ')}) AS ids`, chained.params);
      chained.written(result.rows[0]!.ids).forEach((stored, i) => batch[i]!.resolve(stored));
      return true;
    } catch (error) {
      if ((error as { code?: string } | null)?.code !== 'AH409') throw error;
      for (const stream of chained.streams) heads.delete(stream);
      return false;
    }
  };

  const appendStream = async (stream: string, batch: readonly Waiting[]): Promise<void> => {
    try {
      const stored = await appendAlone(stream, batch.map((w) => w.event));
      batch.forEach((w, i) => w.resolve(stored[i]!));
    } catch (error) {
      if (batch.length === 1 || !refusedByDatabase(error)) return batch.forEach((w) => w.reject(error));
      // One the database refuses must not sink the others: each alone.
      for (const w of batch) await appendAlone(stream, [w.event]).then(([stored]) => w.resolve(stored!), w.reject);
    }
  };

  const drain = async (): Promise<void> => {
    draining = true;
    try {
      while (waiting.length) {
        const batch = waiting;
        waiting = [];
        const streams = new Map<string, Waiting[]>();
        for (const w of batch) streams.set(w.event.stream, [...(streams.get(w.event.stream) ?? []), w]);
        let across = false;
        try {
          across = streams.size > 1 && (await appendAcross(batch));
        } catch (error) {
          // Refused: each stream on its own finds the culprit. Anything else (the connection lost): the callers decide.
          if (!refusedByDatabase(error)) {
            for (const w of batch) w.reject(error);
            continue;
          }
        }
        if (!across) await Promise.all([...streams].map(([stream, ws]) => appendStream(stream, ws)));
      }
    } finally {
      draining = false;
    }
  };

  return {
    chainAtKnownHeads,
    append(event) {
      let prepared: PreparedEvent;
      try {
        prepared = prepare(event as NewEvent);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<StoredEvent<never>>((resolve, reject) => {
        waiting.push({ event: prepared, resolve: resolve as (e: StoredEvent) => void, reject });
        if (!draining) void drain();
      });
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

/** The server refused the statement (so nothing of it was written), as opposed to the connection failing mid-way. */
function refusedByDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57|53|58)/.test(code);
}

interface PreparedEvent {
  type: EventType;
  payload: unknown;
  actor: string;
  runId: string | null;
  taskId: string | null;
  stream: string;
  /** The payload as stored (JSON text). */
  json: string;
}

function prepare(event: NewEvent): PreparedEvent {
  const payload = parsePayload(event.type, event.payload, 'write');
  if (!event.actor) throw new AuraError('invalid_input', `${event.type}: every event names its actor.`);
  const json = JSON.stringify(payload);
  // PostgreSQL's jsonb cannot hold U+0000; refuse it up front with a clear error rather than a driver error.
  if (json.includes('\\u0000')) throw new AuraError('invalid_input', `${event.type}: text containing the NUL character (U+0000) cannot be stored.`);
  const runId = event.runId ?? null;
  return { type: event.type, payload, actor: event.actor, runId, taskId: event.taskId ?? null, stream: event.stream ?? runId ?? SYSTEM_STREAM, json };
}
