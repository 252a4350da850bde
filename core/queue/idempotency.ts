// The idempotency record: an effect keyed by `{run}_{task}_{attempt}` is applied once; a repeat is recognised,
// counted, and answered with the first application's result.
import type { Clock } from '../domain/clock';
import type { Queryable, Store } from '../store/store';

export interface IdempotencyRecord {
  key: string;
  effect: string;
  runId: string | null;
  taskId: string | null;
  attempt: number | null;
  result: unknown;
  appliedAt: Date;
  /** Times the effect was attempted again and refused. */
  duplicates: number;
  lastDuplicateAt: Date | null;
}

export interface EffectKey {
  /** The assignment's idempotency key. */
  key: string;
  /** What the effect is ("result", "outcome", "write:src/a.ts", ...): one key may guard several effects. */
  effect: string;
  runId?: string;
  taskId?: string;
  attempt?: number;
}

export interface Idempotency {
  /**
   * Runs `apply` once per key and effect, in one transaction with its record: the first call applies and
   * stores `apply`'s result (JSON); any later call applies nothing and returns that stored result.
   */
  applyOnce<T>(effect: EffectKey, apply: (tx: Queryable) => Promise<T>): Promise<{ applied: boolean; result: T }>;
  /**
   * Stores `value` under the key and effect unless something is stored there already (then counted as a
   * duplicate): one statement, committed on its own and asynchronously (it outlives this process at once, a server
   * crash only once flushed: migrations/150-queue-speed.sql). For a value that is itself the effect (an employee's
   * result), kept so that the effect need not be produced again.
   */
  storeOnce(effect: EffectKey, value: unknown): Promise<{ stored: boolean }>;
  get(key: string, effect: string): Promise<IdempotencyRecord | null>;
  list(filter: { runId?: string; taskId?: string }): Promise<IdempotencyRecord[]>;
}

interface IdempotencyRow {
  key: string;
  effect: string;
  run_id: string | null;
  task_id: string | null;
  attempt: number | null;
  result: unknown;
  applied_at: Date;
  duplicates: number;
  last_duplicate_at: Date | null;
}

const toRecord = (r: IdempotencyRow): IdempotencyRecord => ({
  key: r.key,
  effect: r.effect,
  runId: r.run_id,
  taskId: r.task_id,
  attempt: r.attempt == null ? null : Number(r.attempt),
  result: r.result,
  appliedAt: r.applied_at,
  duplicates: Number(r.duplicates),
  lastDuplicateAt: r.last_duplicate_at,
});

export function createIdempotency(deps: { store: Store; clock: Clock }): Idempotency {
  const { store, clock } = deps;
  return {
    async applyOnce<T>(effect: EffectKey, apply: (tx: Queryable) => Promise<T>) {
      return store.transaction(async (tx) => {
        const now = clock.now().toISOString();
        // A concurrent first application holds the key's index entry until it commits; this waits for it,
        // then counts itself as the duplicate it is.
        const row = (
          await tx.query<{ duplicates: number; result: unknown }>(
            `INSERT INTO aura.idempotency AS k (key, effect, run_id, task_id, attempt, applied_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (key, effect) DO UPDATE SET duplicates = k.duplicates + 1, last_duplicate_at = $6
             RETURNING duplicates, result`,
            [effect.key, effect.effect, effect.runId ?? null, effect.taskId ?? null, effect.attempt ?? null, now],
          )
        ).rows[0]!;
        if (Number(row.duplicates) > 0) return { applied: false, result: row.result as T };
        const result = await apply(tx);
        await tx.query('UPDATE aura.idempotency SET result = $3::jsonb WHERE key = $1 AND effect = $2', [effect.key, effect.effect, JSON.stringify(result ?? null)]);
        return { applied: true, result };
      });
    },
    async storeOnce(effect, value) {
      const now = clock.now().toISOString();
      const row = (
        await store.query<{ duplicates: number }>('SELECT aura.store_once($1, $2, $3, $4, $5, $6, $7::jsonb) AS duplicates', [
          effect.key,
          effect.effect,
          effect.runId ?? null,
          effect.taskId ?? null,
          effect.attempt ?? null,
          now,
          JSON.stringify(value ?? null),
        ])
      ).rows[0]!;
      return { stored: Number(row.duplicates) === 0 };
    },
    async get(key, effect) {
      const rows = await store.query<IdempotencyRow>('SELECT * FROM aura.idempotency WHERE key = $1 AND effect = $2', [key, effect]);
      return rows.rows[0] ? toRecord(rows.rows[0]) : null;
    },
    async list(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.runId) where.push(`run_id = $${params.push(filter.runId)}`);
      if (filter.taskId) where.push(`task_id = $${params.push(filter.taskId)}`);
      const rows = await store.query<IdempotencyRow>(`SELECT * FROM aura.idempotency ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY applied_at, key, effect`, params);
      return rows.rows.map(toRecord);
    },
  };
}
