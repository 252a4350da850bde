// Routing preference: better-scored employees first for a kind of task, with an exploration bonus so new ones still get work.
import type { Employee } from '../../workforce/employee';
import type { ScoreCard } from './scoring';

export const routingParams = {
  /** UCB1 exploration constant, in score points. */
  exploration: 20,
  /** Points taken from an employee on HR probation (it still gets work, but later in line). */
  probationPenalty: 10,
};

export interface RankedCandidate {
  employee: Employee;
  score: number;
  bonus: number;
  rank: number;
}

/**
 * rank = score(kind) + c·sqrt(ln(1 + N) / (1 + n)) − penalty, where n is the employee's assessed attempts of
 * this kind and N all candidates' together (UCB1). An employee with little history gets a bonus that shrinks
 * as it works, so it is tried even beside a strong incumbent; a proven one keeps the work it does well.
 * Ties go to the employee with fewer attempts, then by id (deterministic).
 */
export function rankCandidates(candidates: readonly Employee[], cards: ReadonlyMap<string, ScoreCard>): RankedCandidate[] {
  const total = candidates.reduce((sum, e) => sum + (cards.get(e.id)?.attempts ?? 0), 0);
  const ranked = candidates.map((employee) => {
    const card = cards.get(employee.id);
    const n = card?.attempts ?? 0;
    const score = card?.score ?? 0;
    const bonus = routingParams.exploration * Math.sqrt(Math.log(1 + total) / (1 + n));
    const penalty = employee.status === 'probation' ? routingParams.probationPenalty : 0;
    return { employee, score, bonus, rank: score + bonus - penalty, n };
  });
  ranked.sort((a, b) => b.rank - a.rank || a.n - b.n || a.employee.id.localeCompare(b.employee.id));
  return ranked.map(({ n: _n, ...rest }) => rest);
}
