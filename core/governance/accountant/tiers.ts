// Tiers: probation (unproven or on HR probation), junior, senior; promotion and demotion with hysteresis.
import type { EmployeeStatus } from '../../workforce/employee';
import type { ScoreCard } from './scoring';

export const tiers = ['probation', 'junior', 'senior'] as const;
export type Tier = (typeof tiers)[number];

export const tierRules = {
  /** probation → junior: enough verified work at an acceptable score. */
  juniorMinVerified: 3,
  juniorMinScore: 60,
  /** junior → senior: a longer record at a high score and accuracy. */
  seniorMinAttempts: 10,
  seniorMinScore: 85,
  seniorMinAccuracy: 0.8,
  /** senior → junior below this (a gap below the promotion line, so a tier does not flap). */
  seniorKeepScore: 75,
  /** junior → probation below this. */
  juniorKeepScore: 50,
} as const;

export interface TierChange {
  tier: Tier;
  reason: string;
}

/** The tier an employee should hold now; null when it keeps its current one. */
export function nextTier(current: string, card: ScoreCard, status: EmployeeStatus): TierChange | null {
  const r = tierRules;
  const held: Tier = (tiers as readonly string[]).includes(current) ? (current as Tier) : 'probation';
  const change = (tier: Tier, reason: string) => (tier === current ? null : { tier, reason });
  if (status === 'probation' || status === 'suspended' || status === 'terminated') {
    return change('probation', `HR status is ${status}`);
  }
  switch (held) {
    case 'probation':
      if (card.verified >= r.juniorMinVerified && card.score >= r.juniorMinScore) return change('junior', `${card.verified} verified attempts, score ${card.score} ≥ ${r.juniorMinScore}`);
      return change('probation', 'not yet proven');
    case 'junior':
      if (card.attempts >= r.seniorMinAttempts && card.score >= r.seniorMinScore && card.accuracy >= r.seniorMinAccuracy) {
        return change('senior', `score ${card.score} ≥ ${r.seniorMinScore} and accuracy ${card.accuracy} ≥ ${r.seniorMinAccuracy} over ${card.attempts} attempts`);
      }
      if (card.score < r.juniorKeepScore) return change('probation', `score ${card.score} fell below ${r.juniorKeepScore}`);
      return change('junior', 'keeps its tier');
    case 'senior':
      if (card.score < r.seniorKeepScore) return change('junior', `score ${card.score} fell below ${r.seniorKeepScore}`);
      return change('senior', 'keeps its tier');
  }
}
