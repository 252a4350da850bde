// The cost ledger: one entry per attempt (and per governance call), recorded once by key, rolled up by task, employee and run.
import type { Clock } from '../../domain/clock';
import type { Queryable } from '../../store/store';

export type CostSource = 'attempt' | 'call' | 'review' | 'planner';

export interface CostEntry {
  /** Idempotency: the same key is recorded once (an attempt's key is its `{run}_{task}_{attempt}`). */
  key: string;
  source: CostSource;
  runId?: string | null;
  taskId?: string | null;
  attempt?: number | null;
  employeeId?: string | null;
  model?: string | null;
  tokensIn?: number;
  tokensOut?: number;
  costUsd: number;
}

export interface RunCostRollup {
  runId: string;
  totalUsd: number;
  tokensIn: number;
  tokensOut: number;
  byTask: Array<{ taskId: string; costUsd: number; attempts: number }>;
  byEmployee: Array<{ employeeId: string; costUsd: number }>;
  bySource: Array<{ source: string; costUsd: number }>;
}

// 'call' rows detail calls inside an attempt whose own row already carries the attempt's total.
const COUNTED = "source <> 'call'";

/** Rounds to a billionth of a dollar, as the adapters' cost tables do. */
const usd = (value: unknown) => Math.round(Number(value ?? 0) * 1e9) / 1e9;

/** One model call of an attempt, as the ledger holds it (a model round, or an agent's call through the gateway). */
export interface CallEntry {
  key: string;
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  occurredAt: Date;
}

export interface CostLedger {
  /** Returns false when an entry with this key was already recorded. */
  recordIn(tx: Queryable, entry: CostEntry): Promise<boolean>;
  runTotal(q: Queryable, runId: string): Promise<number>;
  taskTotal(q: Queryable, runId: string, taskId: string): Promise<number>;
  employeeTotal(q: Queryable, employeeId: string): Promise<number>;
  rollup(q: Queryable, runId: string): Promise<RunCostRollup>;
  /** The model calls of one attempt, oldest first. */
  attemptCalls(q: Queryable, key: { runId: string; taskId: string; attempt: number }): Promise<CallEntry[]>;
}

export function createCostLedger(deps: { clock: Clock }): CostLedger {
  return {
    async recordIn(tx, entry) {
      const inserted = await tx.query(
        `INSERT INTO aura.cost_ledger (entry_key, source, run_id, task_id, attempt, employee_id, model, tokens_in, tokens_out, cost_usd, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (entry_key) DO NOTHING`,
        [
          entry.key,
          entry.source,
          entry.runId ?? null,
          entry.taskId ?? null,
          entry.attempt ?? null,
          entry.employeeId ?? null,
          entry.model ?? null,
          Math.max(0, Math.round(entry.tokensIn ?? 0)),
          Math.max(0, Math.round(entry.tokensOut ?? 0)),
          Math.max(0, Number.isFinite(entry.costUsd) ? entry.costUsd : 0),
          deps.clock.now().toISOString(),
        ],
      );
      return inserted.rowCount > 0;
    },
    async runTotal(q, runId) {
      return usd((await q.query<{ s: number }>(`SELECT coalesce(sum(cost_usd), 0) AS s FROM aura.cost_ledger WHERE run_id = $1 AND ${COUNTED}`, [runId])).rows[0]?.s);
    },
    async taskTotal(q, runId, taskId) {
      return usd((await q.query<{ s: number }>(`SELECT coalesce(sum(cost_usd), 0) AS s FROM aura.cost_ledger WHERE run_id = $1 AND task_id = $2 AND ${COUNTED}`, [runId, taskId])).rows[0]?.s);
    },
    async employeeTotal(q, employeeId) {
      return usd((await q.query<{ s: number }>(`SELECT coalesce(sum(cost_usd), 0) AS s FROM aura.cost_ledger WHERE employee_id = $1 AND ${COUNTED}`, [employeeId])).rows[0]?.s);
    },
    async attemptCalls(q, key) {
      const rows = await q.query<{ entry_key: string; model: string | null; tokens_in: string; tokens_out: string; cost_usd: number; occurred_at: Date }>(
        `SELECT entry_key, model, tokens_in, tokens_out, cost_usd, occurred_at FROM aura.cost_ledger
          WHERE run_id = $1 AND task_id = $2 AND attempt = $3 AND source = 'call' ORDER BY occurred_at, id`,
        [key.runId, key.taskId, key.attempt],
      );
      return rows.rows.map((r) => ({ key: r.entry_key, model: r.model, tokensIn: Number(r.tokens_in), tokensOut: Number(r.tokens_out), costUsd: usd(r.cost_usd), occurredAt: new Date(r.occurred_at) }));
    },
    async rollup(q, runId) {
      const total = (await q.query<{ s: number; i: number; o: number }>(`SELECT coalesce(sum(cost_usd), 0) AS s, coalesce(sum(tokens_in), 0) AS i, coalesce(sum(tokens_out), 0) AS o FROM aura.cost_ledger WHERE run_id = $1 AND ${COUNTED}`, [runId])).rows[0]!;
      const byTask = await q.query<{ task_id: string; s: number; n: number }>(
        `SELECT task_id, sum(cost_usd) AS s, count(*) FILTER (WHERE source = 'attempt') AS n FROM aura.cost_ledger WHERE run_id = $1 AND task_id IS NOT NULL AND ${COUNTED} GROUP BY task_id ORDER BY task_id`,
        [runId],
      );
      const byEmployee = await q.query<{ employee_id: string; s: number }>(
        `SELECT employee_id, sum(cost_usd) AS s FROM aura.cost_ledger WHERE run_id = $1 AND employee_id IS NOT NULL AND ${COUNTED} GROUP BY employee_id ORDER BY employee_id`,
        [runId],
      );
      const bySource = await q.query<{ source: string; s: number }>(`SELECT source, sum(cost_usd) AS s FROM aura.cost_ledger WHERE run_id = $1 GROUP BY source ORDER BY source`, [runId]);
      return {
        runId,
        totalUsd: usd(total.s),
        tokensIn: Number(total.i),
        tokensOut: Number(total.o),
        byTask: byTask.rows.map((r) => ({ taskId: r.task_id, costUsd: usd(r.s), attempts: Number(r.n) })),
        byEmployee: byEmployee.rows.map((r) => ({ employeeId: r.employee_id, costUsd: usd(r.s) })),
        bySource: bySource.rows.map((r) => ({ source: r.source, costUsd: usd(r.s) })),
      };
    },
  };
}
