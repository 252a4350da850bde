// Walks each event chain and reports its first problem exactly: an edited, deleted, reordered, forged or invalid row,
// a tail cut off, a head moved by hand, or a stream a signed checkpoint names that is gone.
import type { Store } from '../store/store';
import { parsePayload } from './catalog';
import { type AuditSigner, hashEvent, headMessage } from './chain';
import type { ChainHead, HeadCheckpoint } from './head-checkpoint';
import { type EventRow, eventColumns } from './stored-event';

/**
 * edited: content no longer matches its hash · deleted: a gap in the middle · truncated: events cut off the end ·
 * reordered: a row in another's place or a broken link · forged: a signature not made with the audit key ·
 * invalid: a payload its schema rejects · rolled_back: the chain head moved by hand (unsigned, or behind its
 * events) · stream_deleted: a stream a signed checkpoint names is gone.
 */
export type ChainProblemKind = 'edited' | 'deleted' | 'truncated' | 'reordered' | 'forged' | 'invalid' | 'rolled_back' | 'stream_deleted';

export interface ChainProblem {
  kind: ChainProblemKind;
  stream: string;
  /** The sequence number of the first bad event in that stream. */
  seq: number;
  /** The row id, when the bad event is present (a deleted one is not). */
  id: number | null;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  streams: number;
  events: number;
  problems: ChainProblem[];
}

export interface VerifyOptions {
  /** One stream (a run's id); default every stream. */
  stream?: string;
  /** Signed checkpoints of heads (already checked with checkHeadCheckpoint): what the chains held at least then. */
  checkpoints?: readonly HeadCheckpoint[];
}

const PAGE = 2000;

/** Verifies one stream (a run's id) or every stream. Reads pages in id order; never writes. */
export async function verifyChain(store: Store, signer: AuditSigner, options: VerifyOptions = {}): Promise<VerifyReport> {
  const recorded = new Map<string, ChainHead[]>();
  for (const checkpoint of options.checkpoints ?? []) {
    for (const head of checkpoint.heads) recorded.set(head.stream, [...(recorded.get(head.stream) ?? []), head]);
  }
  const streams = options.stream
    ? [options.stream]
    : [
        ...new Set([
          ...(await store.query<{ stream: string }>('SELECT stream FROM aura.event_heads UNION SELECT DISTINCT stream FROM aura.events')).rows.map((r) => r.stream),
          ...recorded.keys(),
        ]),
      ].sort();
  const report: VerifyReport = { ok: true, streams: streams.length, events: 0, problems: [] };
  for (const stream of streams) {
    const { events, problem } = await verifyStream(store, signer, stream, recorded.get(stream) ?? []);
    report.events += events;
    if (problem) report.problems.push(problem);
  }
  report.ok = report.problems.length === 0;
  return report;
}

async function verifyStream(store: Store, signer: AuditSigner, stream: string, recorded: readonly ChainHead[]): Promise<{ events: number; problem?: ChainProblem }> {
  const anchor = (await store.query<{ after_seq: number; prev_hash: string }>('SELECT after_seq, prev_hash FROM aura.event_anchors WHERE stream = $1', [stream])).rows[0];
  const head = (await store.query<{ seq: number; hash: string; hmac: string | null }>('SELECT seq, hash, hmac FROM aura.event_heads WHERE stream = $1', [stream])).rows[0];
  const firstSeq = Number(anchor?.after_seq ?? 0) + 1;
  let expected = firstSeq;
  let prevHash = anchor?.prev_hash ?? '';
  let lastId = 0;
  let count = 0;
  const wanted = new Set(recorded.map((r) => r.seq));
  const hashAt = new Map<number, string>();
  const fail = (kind: ChainProblemKind, seq: number, id: number | null, message: string) => ({ events: count, problem: { kind, stream, seq, id, message } });

  for (;;) {
    // The first page has no `id > 0`: PostgreSQL would AND the stream's index with a scan of the whole primary key for
    // it, a cost per stream that grows with the log (most streams are one page).
    const page =
      lastId === 0
        ? await store.query<EventRow>(`SELECT ${eventColumns} FROM aura.events WHERE stream = $1 ORDER BY id LIMIT ${PAGE}`, [stream])
        : await store.query<EventRow>(`SELECT ${eventColumns} FROM aura.events WHERE stream = $1 AND id > $2 ORDER BY id LIMIT ${PAGE}`, [stream, lastId]);
    for (const row of page.rows) {
      const seq = Number(row.seq);
      const id = Number(row.id);
      count++;
      if (seq !== expected) {
        const laterHasExpected = (await store.query('SELECT 1 FROM aura.events WHERE stream = $1 AND seq = $2', [stream, expected])).rowCount > 0;
        if (seq > expected && !laterHasExpected) {
          const range = seq - 1 > expected ? `events ${expected}..${seq - 1} are` : `event ${expected} is`;
          return fail('deleted', expected, null, `${stream}: ${range} missing (deleted); the next present event is ${seq} (row ${id}).`);
        }
        return fail('reordered', seq, id, `${stream}: row ${id} holds event ${seq} where event ${expected} belongs (rows were reordered).`);
      }
      const content = {
        stream,
        seq,
        type: row.type,
        runId: row.run_id,
        taskId: row.task_id,
        actor: row.actor,
        payload: row.payload,
        occurredAt: new Date(row.occurred_at).toISOString(),
      };
      if (row.prev_hash !== prevHash) {
        return fail('reordered', seq, id, `${stream}: event ${seq} (row ${id}) does not link to the event before it (chain broken or rows reordered).`);
      }
      // The signature first: a row whose hash we never signed is a forgery, whatever its content says.
      if (!signer.verify(row.hash, row.hmac)) {
        return fail('forged', seq, id, `${stream}: event ${seq} (row ${id}, ${row.type}) is a forgery: its signature was not made with this audit key (written or re-signed without the key, or a different AURA_AUDIT_KEY).`);
      }
      if (hashEvent(row.prev_hash, content) !== row.hash) {
        return fail('edited', seq, id, `${stream}: event ${seq} (row ${id}, ${row.type}) was edited: its content no longer matches its hash.`);
      }
      try {
        parsePayload(row.type, row.payload, 'read');
      } catch (error) {
        return fail('invalid', seq, id, `${stream}: event ${seq} (row ${id}): ${(error as Error).message}`);
      }
      if (wanted.has(seq)) hashAt.set(seq, row.hash);
      prevHash = row.hash;
      expected = seq + 1;
      lastId = id;
    }
    if (page.rows.length < PAGE) break;
  }
  const last = expected - 1;
  const problem = endOfStream({ stream, signer, head, recorded, last, lastHash: prevHash, lastId, count, firstSeq, hashAt });
  return problem ? fail(problem.kind, problem.seq, problem.id, problem.message) : { events: count };
}

interface StreamEnd {
  stream: string;
  signer: AuditSigner;
  head: { seq: number; hash: string; hmac: string | null } | undefined;
  recorded: readonly ChainHead[];
  /** The last event present (seq), its hash and row. */
  last: number;
  lastHash: string;
  lastId: number;
  count: number;
  /** The first seq the chain holds (after a retention cleanup's anchor). */
  firstSeq: number;
  hashAt: ReadonlyMap<number, string>;
}

/** What the end of a chain must agree with: its signed head, and every signed checkpoint of it. */
function endOfStream(e: StreamEnd): Omit<ChainProblem, 'stream'> | null {
  const { stream, head, last } = e;
  const missing = (from: number, to: number) => (to > from ? `events ${from}..${to} are` : `event ${from} is`);
  const newest = [...e.recorded].sort((a, b) => b.seq - a.seq)[0];
  if (newest && !head && e.count === 0) {
    return { kind: 'stream_deleted', seq: 1, id: null, message: `${stream}: the whole stream is gone (deleted): a signed checkpoint recorded ${newest.seq} event(s) in it.` };
  }
  if (newest && newest.seq > last) {
    return { kind: 'truncated', seq: last + 1, id: null, message: `${stream}: ${missing(last + 1, newest.seq)} missing from the end of the log (cut off); a signed checkpoint recorded ${newest.seq}${head && Number(head.seq) < newest.seq ? `, and the chain head was moved back to ${head.seq}` : ''}.` };
  }
  for (const r of e.recorded) {
    const at = e.hashAt.get(r.seq);
    if (r.seq >= e.firstSeq && at !== undefined && at !== r.hash) {
      return { kind: 'edited', seq: r.seq, id: null, message: `${stream}: event ${r.seq} is not the one a signed checkpoint recorded (the chain was rewritten from there).` };
    }
  }
  if (!head) {
    return e.count > 0 ? { kind: 'rolled_back', seq: last, id: e.lastId, message: `${stream}: the chain head is missing (deleted by hand).` } : null;
  }
  const headSeq = Number(head.seq);
  if (!head.hmac || !e.signer.verify(headMessage(stream, headSeq, head.hash), head.hmac)) {
    return { kind: 'rolled_back', seq: headSeq, id: null, message: `${stream}: the chain head (event ${headSeq}) is not signed with this audit key: it was moved by hand (rolled back to hide a cut tail?).` };
  }
  if (headSeq > last) {
    return { kind: 'truncated', seq: last + 1, id: null, message: `${stream}: ${missing(last + 1, headSeq)} missing from the end of the log (deleted); the chain head records ${headSeq}.` };
  }
  if (headSeq < last) {
    return { kind: 'rolled_back', seq: headSeq, id: null, message: `${stream}: the chain head records ${headSeq} but events run to ${last}: the head was put back to an older one.` };
  }
  if (e.count > 0 && head.hash !== e.lastHash) {
    return { kind: 'edited', seq: last, id: e.lastId, message: `${stream}: the last event does not match the chain head's hash.` };
  }
  return null;
}
