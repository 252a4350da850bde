// SQL of the call record (aura.call_records): save one outcome, and fetch the one a replay should serve.
import type { Queryable } from '../store/store';

export interface CallRecordRow {
  run_id: string;
  session: string;
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

/** Where a record belongs: a run's attempt (`task key#attempt`), or ('', '') for calls outside any attempt. */
export interface RecordPlace {
  runId: string;
  session: string;
}

export const unscoped: RecordPlace = { runId: '', session: '' };

export interface NewCallRecord {
  place: RecordPlace;
  key: string;
  seq: number;
  kind: 'model' | 'tool';
  provider: string;
  model: string;
  paramsJson: string;
  outcomeJson: string;
  recordedAt: Date;
}

const columns = 'run_id, session, key, seq, kind, provider, model, params_json, outcome_json, recorded_at, replayed';

/** Saves an outcome; recording the same call again replaces the older answer (the record holds the latest). */
export async function saveCallRecord(db: Queryable, record: NewCallRecord): Promise<void> {
  await db.query(
    `INSERT INTO aura.call_records (run_id, session, key, seq, kind, provider, model, params_json, outcome_json, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (run_id, session, key, seq) DO UPDATE
       SET kind = EXCLUDED.kind, provider = EXCLUDED.provider, model = EXCLUDED.model, params_json = EXCLUDED.params_json,
           outcome_json = EXCLUDED.outcome_json, recorded_at = EXCLUDED.recorded_at, replayed = 0`,
    [record.place.runId, record.place.session, record.key, record.seq, record.kind, record.provider, record.model, record.paramsJson, record.outcomeJson, record.recordedAt.toISOString()],
  );
}

/**
 * The record a replay serves for repeat `seq` of a call: that repeat's own, or else the latest one before
 * it (a call recorded once and made again serves the same answer). Counts the use. Unscoped, the latest
 * recording of the call anywhere is served (recording mode "replay" of a whole process).
 */
export async function takeCallRecord(db: Queryable, key: string, seq: number, place?: RecordPlace): Promise<CallRecordRow | undefined> {
  const where = place ? 'run_id = $3 AND session = $4 AND key = $1' : 'key = $1';
  const params = place ? [key, seq, place.runId, place.session] : [key, seq];
  const result = await db.query<CallRecordRow>(
    `UPDATE aura.call_records c SET replayed = replayed + 1
      FROM (SELECT run_id, session, key, seq FROM aura.call_records WHERE ${where} AND seq <= $2 ORDER BY seq DESC, recorded_at DESC LIMIT 1) pick
      WHERE c.run_id = pick.run_id AND c.session = pick.session AND c.key = pick.key AND c.seq = pick.seq
      RETURNING ${columns.split(', ').map((c) => `c.${c}`).join(', ')}`,
    params,
  );
  return result.rows[0];
}

/** Every record of a call, oldest repeat first (tests and the audit view). */
export async function listCallRecords(db: Queryable, key: string): Promise<CallRecordRow[]> {
  const result = await db.query<CallRecordRow>(`SELECT ${columns} FROM aura.call_records WHERE key = $1 ORDER BY seq, recorded_at`, [key]);
  return result.rows;
}

/** The records of one run, attempt by attempt (the replay report and tests). */
export async function listRunCallRecords(db: Queryable, runId: string): Promise<CallRecordRow[]> {
  const result = await db.query<CallRecordRow>(`SELECT ${columns} FROM aura.call_records WHERE run_id = $1 ORDER BY session, recorded_at, seq`, [runId]);
  return result.rows;
}
