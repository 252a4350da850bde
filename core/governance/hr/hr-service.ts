// HR: applies the lifecycle rules after each attempt, carries out the Director's actions, and refuses to be switched off.
import type { Clock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import type { EventLog } from '../../events/event-log';
import type { Queryable, Store } from '../../store/store';
import type { Employee, EmployeeStatus } from '../../workforce/employee';
import type { EmployeeRegistry } from '../../workforce/employee-registry';
import { type Requester, requireDirector } from '../requester';
import { type AnomalyKind, defaultHrRules, type HrRules, hrDecision, nextStreak, type StatusChange, type StreakOutcome } from './hr-rules';
import { changeStatusIn, readStreakIn, resetStreakIn, writeStreakIn } from './status-change';

export const governanceComponents = ['auditor', 'accountant', 'hr', 'policies', 'approvals', 'budgets', 'verification'] as const;

export const DISABLE_REFUSAL =
  'Governance cannot be disabled: the Auditor, the Accountant, HR, approvals, budgets and policy enforcement always run. Change what they require with set_policies instead.';

export interface Hr {
  /** In the attempt's transaction: updates the streak and applies the rules; returns the change made, if any. */
  afterAttemptIn(tx: Queryable, input: { employeeId: string; outcome: StreakOutcome; anomalies: readonly AnomalyKind[] }): Promise<StatusChange | null>;
  setStatus(requester: Requester, employeeId: string, status: Exclude<EmployeeStatus, 'hired'>, reason: string): Promise<Employee>;
  /** The Director's rating (0-10) of an employee's delivered work; part of its satisfaction score. */
  rate(requester: Requester, input: { employeeId: string; rating: number; note?: string; runId?: string; taskId?: string }): Promise<void>;
  /** Always refused: records who asked, what, and why not; then throws `forbidden`. */
  requestDisable(requester: Requester, component: string, why?: string): Promise<never>;
  readonly rules: HrRules;
}

export function createHr(deps: { store: Store; events: EventLog; clock: Clock; registry: EmployeeRegistry; rules?: HrRules }): Hr {
  const { store, events, clock, registry } = deps;
  const rules = deps.rules ?? defaultHrRules;
  return {
    rules,
    async afterAttemptIn(tx, input) {
      const now = clock.now();
      const employee = await registry.get(input.employeeId, tx);
      const streak = nextStreak(await readStreakIn(tx, input.employeeId), input.outcome);
      await writeStreakIn(tx, input.employeeId, streak, now);
      const change = hrDecision(employee.status, streak, input.anomalies, rules);
      if (!change) return null;
      const changed = await changeStatusIn(tx, events, { employeeId: input.employeeId, to: change.to, reason: change.reason, actor: 'hr', now });
      return changed ? change : null;
    },
    async setStatus(requester, employeeId, status, reason) {
      await requireDirector(events, requester, `set the status of employee ${employeeId} to ${status}`);
      if (!reason.trim()) throw new AuraError('invalid_input', 'A status change needs a reason.');
      const updated = await registry.setStatus(employeeId, status, reason, requester.actor);
      await store.transaction((tx) => resetStreakIn(tx, employeeId, clock.now()));
      return updated;
    },
    async rate(requester, input) {
      await requireDirector(events, requester, `rate employee ${input.employeeId}`);
      if (!Number.isFinite(input.rating) || input.rating < 0 || input.rating > 10) throw new AuraError('invalid_input', 'A rating is a number from 0 to 10.');
      await registry.get(input.employeeId);
      await store.transaction(async (tx) => {
        await tx.query('INSERT INTO aura.director_ratings (employee_id, run_id, task_id, rating, note, rated_by, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          input.employeeId,
          input.runId ?? null,
          input.taskId ?? null,
          input.rating,
          input.note ?? null,
          requester.actor,
          clock.now().toISOString(),
        ]);
        await events.appendIn(tx, [
          { type: 'DirectorRated', actor: requester.actor, runId: input.runId ?? null, taskId: input.taskId ?? null, payload: { employeeId: input.employeeId, rating: input.rating, note: input.note } },
        ]);
      });
    },
    async requestDisable(requester, component, why) {
      const reason = `${DISABLE_REFUSAL}${why ? ` (asked because: ${why.slice(0, 500)})` : ''}`;
      await events.append({ type: 'GovernanceDisableRefused', actor: requester.actor, payload: { component: component.slice(0, 100), requestedBy: requester.actor, reason } });
      throw new AuraError('forbidden', DISABLE_REFUSAL, { details: { component } });
    },
  };
}
