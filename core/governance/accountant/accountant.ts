// The Accountant: records assessed attempts, scores employees per task kind, keeps tiers, the leaderboard and routing order.
import type { Clock } from '../../domain/clock';
import type { EventPayload } from '../../events/catalog';
import type { EventLog } from '../../events/event-log';
import type { Queryable, Store } from '../../store/store';
import type { Employee } from '../../workforce/employee';
import type { EmployeeRegistry } from '../../workforce/employee-registry';
import type { GovernanceMetrics } from '../governance-metrics';
import { loadFacts, loadRatings, medianDuration, upsertFact } from './attempt-facts';
import { rankCandidates } from './routing';
import { type AttemptFact, type DirectorRating, defaultScoringParams, type ScoreCard, type ScoringParams, scoreEmployee } from './scoring';
import { nextTier } from './tiers';

/** Kind "*" scores every kind of task together. */
export const ALL_KINDS = '*';

export interface LeaderboardEntry extends ScoreCard {
  position: number;
  name: string;
  provider: string;
  model: string;
  status: string;
  tier: string;
}

export interface Accountant {
  /** Appends AttemptAssessed and its projection in the caller's transaction; then re-tiers the employee. */
  assessIn(tx: Queryable, input: { runId: string; taskId: string; payload: EventPayload<'AttemptAssessed'>; actor?: string }): Promise<void>;
  /** Score cards of these employees for a kind ("*" for all kinds); employees with no history get the priors. */
  cards(q: Queryable, employeeIds: readonly string[], kind: string): Promise<Map<string, ScoreCard>>;
  /** Employees with assessed work (and, when asked, those without), best first. */
  leaderboard(options?: { kind?: string; includeUnrated?: boolean }): Promise<LeaderboardEntry[]>;
  /** Orders candidates for a task of `kind`, best first (exploration included). */
  rank(kind: string, candidates: readonly Employee[]): Promise<Employee[]>;
  /** Facts of one employee, newest first (for the loop and outlier rules). */
  recentFacts(q: Queryable, employeeId: string, limit: number): Promise<AttemptFact[]>;
}

export interface AccountantDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  registry: EmployeeRegistry;
  metrics: GovernanceMetrics;
  /** Facts older than this are not scored (they are also what retention may remove). */
  windowDays: number;
  params?: ScoringParams;
}

export function createAccountant(deps: AccountantDeps): Accountant {
  const { store, events, clock, registry, metrics } = deps;
  const params = deps.params ?? defaultScoringParams;
  const since = () => new Date(clock.now().getTime() - deps.windowDays * 86_400_000);

  async function cards(q: Queryable, employeeIds: readonly string[], kind: string): Promise<Map<string, ScoreCard>> {
    const now = clock.now();
    const kindFilter = kind === ALL_KINDS ? undefined : kind;
    // The time yardstick is the whole workforce's median for the kind, so one employee is not its own measure.
    const median = await medianDuration(q, since(), kindFilter);
    const wanted = [...new Set(employeeIds)];
    const facts = wanted.length ? await loadFacts(q, { since: since(), kind: kindFilter, employeeIds: wanted }) : [];
    const ratings = wanted.length ? await loadRatings(q, { since: since(), employeeIds: wanted }) : [];
    const out = new Map<string, ScoreCard>();
    for (const id of wanted) {
      const own: DirectorRating[] = ratings.filter((r) => r.employeeId === id);
      out.set(id, scoreEmployee({ employeeId: id, kind, facts: facts.filter((f) => f.employeeId === id), ratings: own, now, kindMedianMs: median, params }));
    }
    return out;
  }

  const publish = (employee: Employee, card: ScoreCard) => {
    const labels = { employee_id: employee.id, employee: employee.profile.name, kind: card.kind };
    metrics.score.set(labels, card.score);
    metrics.accuracy.set(labels, card.accuracy);
  };

  return {
    async assessIn(tx, input) {
      const { runId, taskId, payload } = input;
      const [stored] = await events.appendIn(tx, [{ type: 'AttemptAssessed', actor: input.actor ?? 'accountant', runId, taskId, payload }]);
      await upsertFact(tx, runId, taskId, payload, stored!.occurredAt);
      metrics.assessed.inc({ outcome: payload.outcome });
      const employee = await registry.get(payload.employeeId, tx);
      const byKind = (await cards(tx, [employee.id], payload.kind)).get(employee.id)!;
      const overall = (await cards(tx, [employee.id], ALL_KINDS)).get(employee.id)!;
      publish(employee, byKind);
      publish(employee, overall);
      const change = nextTier(employee.tier, overall, employee.status);
      if (change) {
        await registry.setTier(tx, employee.id, change.tier);
        await events.appendIn(tx, [{ type: 'EmployeeTierChanged', actor: 'accountant', payload: { employeeId: employee.id, from: employee.tier, to: change.tier, score: overall.score, reason: change.reason } }]);
      }
    },
    cards,
    async leaderboard(options = {}) {
      const kind = options.kind ?? ALL_KINDS;
      const employees = await registry.list();
      const scored = await cards(store, employees.map((e) => e.id), kind);
      const entries = employees
        .map((e) => ({ e, card: scored.get(e.id)! }))
        .filter(({ card }) => options.includeUnrated || card.attempts > 0)
        .sort((a, b) => b.card.score - a.card.score || b.card.evidence - a.card.evidence || a.e.profile.name.localeCompare(b.e.profile.name));
      return entries.map(({ e, card }, index) => ({ ...card, position: index + 1, name: e.profile.name, provider: e.profile.provider, model: e.profile.model, status: e.status, tier: e.tier }));
    },
    async rank(kind, candidates) {
      if (candidates.length < 2) return [...candidates];
      const scored = await cards(store, candidates.map((e) => e.id), kind);
      return rankCandidates(candidates, scored).map((r) => r.employee);
    },
    async recentFacts(q, employeeId, limit) {
      const facts = await loadFacts(q, { since: since(), employeeIds: [employeeId] });
      return facts.reverse().slice(0, limit);
    },
  };
}
