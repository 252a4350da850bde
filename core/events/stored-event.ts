// Row and domain shapes of a stored event, and the mapping between them (validated on read-back).
import type { EventPayload, EventType } from './catalog';
import { parsePayload } from './catalog';

export interface EventRow {
  id: number;
  stream: string;
  seq: number;
  type: string;
  run_id: string | null;
  task_id: string | null;
  actor: string;
  payload: unknown;
  occurred_at: Date;
  prev_hash: string;
  hash: string;
  hmac: string;
}

export interface StoredEvent<T extends EventType = EventType> {
  id: number;
  stream: string;
  seq: number;
  type: T;
  runId: string | null;
  taskId: string | null;
  actor: string;
  payload: EventPayload<T>;
  occurredAt: Date;
  hash: string;
}

export const eventColumns = 'id, stream, seq, type, run_id, task_id, actor, payload, occurred_at, prev_hash, hash, hmac';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: Number(row.id),
    stream: row.stream,
    seq: Number(row.seq),
    type: row.type as EventType,
    runId: row.run_id,
    taskId: row.task_id,
    actor: row.actor,
    payload: parsePayload(row.type, row.payload, 'read'),
    occurredAt: row.occurred_at,
    hash: row.hash,
  };
}
