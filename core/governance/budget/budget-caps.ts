// Spending caps beyond a run's own budget: per employee ('employee:<id>'), per task ('task') and per call ('call').
import type { Clock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import type { EventLog } from '../../events/event-log';
import type { Queryable, Store } from '../../store/store';
import { type Requester, requireDirector } from '../requester';

export type CapScope = 'task' | 'call' | `employee:${string}`;

export function isCapScope(scope: string): scope is CapScope {
  return scope === 'task' || scope === 'call' || /^employee:[A-Za-z0-9_.-]{1,100}$/.test(scope);
}

export interface BudgetCaps {
  get(q: Queryable, scope: CapScope): Promise<number | null>;
  list(): Promise<Array<{ scope: string; limitUsd: number; setBy: string; setAt: Date }>>;
  /** Sets (or, with null, removes) a cap. Director only; recorded as BudgetCapSet. */
  set(requester: Requester, scope: string, limitUsd: number | null): Promise<void>;
}

export function createBudgetCaps(deps: { store: Store; events: EventLog; clock: Clock }): BudgetCaps {
  const { store, events, clock } = deps;
  return {
    async get(q, scope) {
      const row = (await q.query<{ limit_usd: number }>('SELECT limit_usd FROM aura.budget_caps WHERE scope = $1', [scope])).rows[0];
      return row ? Number(row.limit_usd) : null;
    },
    async list() {
      const rows = await store.query<{ scope: string; limit_usd: number; set_by: string; set_at: Date }>('SELECT * FROM aura.budget_caps ORDER BY scope');
      return rows.rows.map((r) => ({ scope: r.scope, limitUsd: Number(r.limit_usd), setBy: r.set_by, setAt: r.set_at }));
    },
    async set(requester, scope, limitUsd) {
      await requireDirector(events, requester, `set the budget cap "${scope}"`);
      if (!isCapScope(scope)) throw new AuraError('invalid_input', `Unknown cap scope "${scope}": expected "task", "call" or "employee:<id>".`);
      if (limitUsd !== null && (!Number.isFinite(limitUsd) || limitUsd < 0)) throw new AuraError('invalid_input', 'A cap is a non-negative amount in USD (or null to remove it).');
      await store.transaction(async (tx) => {
        if (limitUsd === null) await tx.query('DELETE FROM aura.budget_caps WHERE scope = $1', [scope]);
        else {
          await tx.query(
            `INSERT INTO aura.budget_caps (scope, limit_usd, set_by, set_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (scope) DO UPDATE SET limit_usd = EXCLUDED.limit_usd, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
            [scope, limitUsd, requester.actor, clock.now().toISOString()],
          );
        }
        await events.appendIn(tx, [{ type: 'BudgetCapSet', actor: requester.actor, payload: { scope, limitUsd, by: requester.actor } }]);
      });
    },
  };
}
