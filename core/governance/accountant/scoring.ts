// The Accountant's scoring formula: decayed, smoothed metrics per employee and task kind, combined into 0-100.
// docs/governance.md explains every term; change both together.

export type AttemptOutcomeKind = 'verified' | 'failed' | 'error' | 'infrastructure';

/** One assessed attempt, as stored in aura.attempt_facts. */
export interface AttemptFact {
  runId: string;
  taskId: string;
  attempt: number;
  employeeId: string;
  kind: string;
  outcome: AttemptOutcomeKind;
  durationMs: number;
  timeoutMs: number;
  costUsd: number;
  scopeViolation: boolean;
  /** Anomalies other than the scope violation (loops, false claims, outliers, forbidden commands). */
  violations: number;
  reviewScore: number | null;
  outputHash: string | null;
  claimsMismatch: boolean;
  forbidden: boolean;
  occurredAt: Date;
}

export interface DirectorRating {
  employeeId: string;
  rating: number;
  occurredAt: Date;
}

export interface ScoringParams {
  /** Age at which an attempt counts half as much (days). */
  halfLifeDays: number;
  weights: { accuracy: number; consistency: number; timeliness: number; scope: number; conduct: number; satisfaction: number };
}

export const defaultScoringParams: ScoringParams = {
  halfLifeDays: 30,
  weights: { accuracy: 0.35, consistency: 0.1, timeliness: 0.1, scope: 0.15, conduct: 0.15, satisfaction: 0.15 },
};

/** Priors: what an employee with no history is assumed to be, and how many attempts' worth that belief weighs. */
const PRIOR = {
  accuracy: { value: 0.5, weight: 2 },
  consistency: { value: 1, weight: 1 },
  timeliness: { value: 0.5, weight: 1 },
  scope: { value: 1, weight: 1 },
  satisfaction: { value: 0.7, weight: 1 },
};

/** A forbidden command weighs as three violations. */
const FORBIDDEN_WEIGHT = 3;
/** A Director's rating weighs as two reviews. */
const DIRECTOR_WEIGHT = 2;

export interface ScoreCard {
  employeeId: string;
  kind: string;
  /** 0-100. */
  score: number;
  /** Assessed attempts (infrastructure failures excluded), undecayed. */
  attempts: number;
  verified: number;
  failed: number;
  /** Attempts that were a retry of the same task by this employee. */
  retries: number;
  /** Sum of decay weights: how much evidence the score rests on. */
  evidence: number;
  accuracy: number;
  consistency: number;
  timeliness: number;
  scopeAdherence: number;
  violationRate: number;
  satisfaction: number;
  meanCostUsd: number;
  meanDurationMs: number;
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

export function decayWeight(occurredAt: Date, now: Date, halfLifeDays: number): number {
  const ageDays = Math.max(0, now.getTime() - occurredAt.getTime()) / 86_400_000;
  return 0.5 ** (ageDays / halfLifeDays);
}

const smoothed = (sum: number, weight: number, prior: { value: number; weight: number }) => (sum + prior.value * prior.weight) / (weight + prior.weight);

/**
 * Scores one employee on its facts (one kind, or all kinds for kind "*"). `kindMedianMs` is the yardstick
 * for time; without one, time is measured against the task's own timeout.
 */
export function scoreEmployee(input: {
  employeeId: string;
  kind: string;
  facts: readonly AttemptFact[];
  ratings: readonly DirectorRating[];
  now: Date;
  kindMedianMs: number | null;
  params?: ScoringParams;
}): ScoreCard {
  const params = input.params ?? defaultScoringParams;
  const facts = input.facts.filter((f) => f.outcome !== 'infrastructure').sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const w = (f: { occurredAt: Date }) => decayWeight(f.occurredAt, input.now, params.halfLifeDays);

  let weight = 0;
  let verified = 0;
  let inScope = 0;
  let violations = 0;
  let timeSum = 0;
  let timeWeight = 0;
  let satSum = 0;
  let satWeight = 0;
  let agreeSum = 0;
  let agreeWeight = 0;
  let retries = 0;
  const lastOutcomeByTask = new Map<string, boolean>();
  for (const fact of facts) {
    const wi = w(fact);
    const ok = fact.outcome === 'verified';
    weight += wi;
    if (ok) verified += wi;
    if (!fact.scopeViolation) inScope += wi;
    violations += wi * (fact.violations + (fact.forbidden ? FORBIDDEN_WEIGHT - 1 : 0));
    if (ok) {
      const yardstick = input.kindMedianMs;
      const t = yardstick ? Math.min(1, yardstick / Math.max(1, fact.durationMs)) : Math.max(0, 1 - fact.durationMs / Math.max(1, fact.timeoutMs));
      timeSum += wi * t;
      timeWeight += wi;
    }
    if (fact.reviewScore !== null) {
      satSum += wi * (fact.reviewScore / 10);
      satWeight += wi;
    }
    const taskKey = `${fact.runId}/${fact.taskId}`;
    const previous = lastOutcomeByTask.get(taskKey);
    if (previous !== undefined) {
      retries++;
      agreeSum += wi * (previous === ok ? 1 : 0);
      agreeWeight += wi;
    }
    lastOutcomeByTask.set(taskKey, ok);
  }
  for (const rating of input.ratings) {
    const wi = w(rating) * DIRECTOR_WEIGHT;
    satSum += wi * (rating.rating / 10);
    satWeight += wi;
  }

  const accuracy = smoothed(verified, weight, PRIOR.accuracy);
  const consistency = smoothed(agreeSum, agreeWeight, PRIOR.consistency);
  const timeliness = smoothed(timeSum, timeWeight, PRIOR.timeliness);
  const scopeAdherence = smoothed(inScope, weight, PRIOR.scope);
  const violationRate = weight > 0 ? violations / (weight + 1) : 0;
  const satisfaction = smoothed(satSum, satWeight, PRIOR.satisfaction);
  const k = params.weights;
  const score = 100 * (k.accuracy * accuracy + k.consistency * consistency + k.timeliness * timeliness + k.scope * scopeAdherence + k.conduct * (1 - Math.min(1, violationRate)) + k.satisfaction * satisfaction);
  const count = facts.length;
  return {
    employeeId: input.employeeId,
    kind: input.kind,
    score: round(score, 2),
    attempts: count,
    verified: facts.filter((f) => f.outcome === 'verified').length,
    failed: facts.filter((f) => f.outcome !== 'verified').length,
    retries,
    evidence: round(weight),
    accuracy: round(accuracy),
    consistency: round(consistency),
    timeliness: round(timeliness),
    scopeAdherence: round(scopeAdherence),
    violationRate: round(violationRate),
    satisfaction: round(satisfaction),
    meanCostUsd: count ? round(facts.reduce((s, f) => s + f.costUsd, 0) / count, 6) : 0,
    meanDurationMs: count ? Math.round(facts.reduce((s, f) => s + f.durationMs, 0) / count) : 0,
  };
}
