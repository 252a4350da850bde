// Walks each event chain and reports the first bad row exactly: edited, deleted, reordered, forged or invalid.
import type { Store } from '../store/store';
import { parsePayload } from './catalog';
import { type AuditSigner, hashEvent } from './chain';
import { type EventRow, eventColumns } from './stored-event';

export type ChainProblemKind = 'edited' | 'deleted' | 'reordered' | 'forged' | 'invalid';

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

const PAGE = 2000;

/** Verifies one stream (a run's id) or every stream. Reads pages in id order; never writes. */
export async function verifyChain(store: Store, signer: AuditSigner, options: { stream?: string } = {}): Promise<VerifyReport> {
  const streams = options.stream
    ? [options.stream]
    : (
        await store.query<{ stream: string }>('SELECT stream FROM aura.event_heads UNION SELECT DISTINCT stream FROM aura.events ORDER BY 1')
      ).rows.map((r) => r.stream);
  const report: VerifyReport = { ok: true, streams: streams.length, events: 0, problems: [] };
  for (const stream of streams) {
    const { events, problem } = await verifyStream(store, signer, stream);
    report.events += events;
    if (problem) report.problems.push(problem);
  }
  report.ok = report.problems.length === 0;
  return report;
}

async function verifyStream(store: Store, signer: AuditSigner, stream: string): Promise<{ events: number; problem?: ChainProblem }> {
  const anchor = (await store.query<{ after_seq: number; prev_hash: string }>('SELECT after_seq, prev_hash FROM aura.event_anchors WHERE stream = $1', [stream])).rows[0];
  const head = (await store.query<{ seq: number; hash: string }>('SELECT seq, hash FROM aura.event_heads WHERE stream = $1', [stream])).rows[0];
  let expected = Number(anchor?.after_seq ?? 0) + 1;
  let prevHash = anchor?.prev_hash ?? '';
  let lastId = 0;
  let count = 0;
  const fail = (kind: ChainProblemKind, seq: number, id: number | null, message: string) => ({ events: count, problem: { kind, stream, seq, id, message } });

  for (;;) {
    const page = await store.query<EventRow>(`SELECT ${eventColumns} FROM aura.events WHERE stream = $1 AND id > $2 ORDER BY id LIMIT ${PAGE}`, [stream, lastId]);
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
      if (hashEvent(row.prev_hash, content) !== row.hash) {
        return fail('edited', seq, id, `${stream}: event ${seq} (row ${id}, ${row.type}) was edited: its content no longer matches its hash.`);
      }
      if (!signer.verify(row.hash, row.hmac)) {
        return fail('forged', seq, id, `${stream}: event ${seq} (row ${id}, ${row.type}) carries a signature not made with this audit key (re-signed without the key, or a different AURA_AUDIT_KEY).`);
      }
      try {
        parsePayload(row.type, row.payload, 'read');
      } catch (error) {
        return fail('invalid', seq, id, `${stream}: event ${seq} (row ${id}): ${(error as Error).message}`);
      }
      prevHash = row.hash;
      expected = seq + 1;
      lastId = id;
    }
    if (page.rows.length < PAGE) break;
  }
  if (head && Number(head.seq) > expected - 1) {
    const last = Number(head.seq);
    const range = last > expected ? `events ${expected}..${last} are` : `event ${expected} is`;
    return fail('deleted', expected, null, `${stream}: ${range} missing from the end of the log (deleted); the chain head records ${last}.`);
  }
  if (head && count > 0 && head.hash !== prevHash) {
    return fail('edited', expected - 1, lastId, `${stream}: the last event does not match the chain head's hash.`);
  }
  return { events: count };
}
