// SQL of the call record (aura.call_records): save one outcome, and fetch the one a replay should serve.
import type { Queryable } from '../store/store';

export interface CallRecordRow {
  key: string;
  seq: number;
  kind: string;
  provider: string;
  model: string;
  params_json: string;
  outcome_json: string;
  recorded_at: Date;
  replayed: number;
}

export interface NewCallRecord {
  key: string;
  seq: number;
  kind: 'model' | 'tool';
  provider: string;
  model: string;
  paramsJson: string;
  outcomeJson: string;
  recordedAt: Date;
}

/** Saves an outcome; recording the same call again replaces the older answer (the record holds the latest). */
export async function saveCallRecord(db: Queryable, record: NewCallRecord): Promise<void> {
  await db.query(
    `INSERT INTO aura.call_records (key, seq, kind, provider, model, params_json, outcome_json, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (key, seq) DO UPDATE
       SET kind = EXCLUDED.kind, provider = EXCLUDED.provider, model = EXCLUDED.model, params_json = EXCLUDED.params_json,
           outcome_json = EXCLUDED.outcome_json, recorded_at = EXCLUDED.recorded_at, replayed = 0`,
    [record.key, record.seq, record.kind, record.provider, record.model, record.paramsJson, record.outcomeJson, record.recordedAt.toISOString()],
  );
}

/**
 * The record a replay serves for repeat `seq` of a call: that repeat's own, or else the latest one before
 * it (a call recorded once and made again serves the same answer). Counts the use.
 */
export async function takeCallRecord(db: Queryable, key: string, seq: number): Promise<CallRecordRow | undefined> {
  const result = await db.query<CallRecordRow>(
    `UPDATE aura.call_records SET replayed = replayed + 1
      WHERE key = $1 AND seq = (SELECT max(seq) FROM aura.call_records WHERE key = $1 AND seq <= $2)
      RETURNING key, seq, kind, provider, model, params_json, outcome_json, recorded_at, replayed`,
    [key, seq],
  );
  return result.rows[0];
}

/** Every record of a call, oldest repeat first (tests and the audit view). */
export async function listCallRecords(db: Queryable, key: string): Promise<CallRecordRow[]> {
  const result = await db.query<CallRecordRow>(
    'SELECT key, seq, kind, provider, model, params_json, outcome_json, recorded_at, replayed FROM aura.call_records WHERE key = $1 ORDER BY seq',
    [key],
  );
  return result.rows;
}
