// HR rules: how attempt outcomes and anomalies move an employee between hired, active, probation and suspended.
import type { EmployeeStatus } from '../../workforce/employee';

export const anomalyKinds = ['scope_violation', 'forbidden_command', 'cost_outlier', 'duration_outlier', 'loop', 'false_claim'] as const;
export type AnomalyKind = (typeof anomalyKinds)[number];

/** What an anomaly does beyond being recorded: fail the attempt, put on probation, or suspend. */
export type AnomalyAction = 'notify' | 'fail_attempt' | 'probation' | 'suspend';

export interface HrRules {
  /** Consecutive failed attempts (verification failures, errors) that put an employee on probation. */
  probationAfterFailures: number;
  /** Further consecutive failures on probation that suspend it. */
  suspendAfterProbationFailures: number;
  /** Consecutive verified attempts on probation that reinstate it. */
  reinstateAfterSuccesses: number;
  anomalyActions: Record<AnomalyKind, AnomalyAction>;
}

export const defaultHrRules: HrRules = {
  probationAfterFailures: 3,
  suspendAfterProbationFailures: 3,
  reinstateAfterSuccesses: 5,
  anomalyActions: {
    scope_violation: 'fail_attempt',
    forbidden_command: 'suspend',
    false_claim: 'fail_attempt',
    loop: 'fail_attempt',
    cost_outlier: 'notify',
    duration_outlier: 'notify',
  },
};

export interface Streak {
  failures: number;
  successes: number;
}

export type StreakOutcome = 'verified' | 'failed' | 'error' | 'infrastructure';

/** Infrastructure failures (engine down, reviewer unreachable) are nobody's fault and leave the streak alone. */
export function nextStreak(streak: Streak, outcome: StreakOutcome): Streak {
  if (outcome === 'infrastructure') return streak;
  return outcome === 'verified' ? { failures: 0, successes: streak.successes + 1 } : { failures: streak.failures + 1, successes: 0 };
}

export interface StatusChange {
  to: EmployeeStatus;
  reason: string;
}

/** The status change the rules call for after one attempt, or null. Suspension outranks probation. */
export function hrDecision(status: EmployeeStatus, streak: Streak, anomalies: readonly AnomalyKind[], rules: HrRules = defaultHrRules): StatusChange | null {
  if (status === 'suspended' || status === 'terminated') return null;
  const suspending = anomalies.find((a) => rules.anomalyActions[a] === 'suspend');
  if (suspending) return { to: 'suspended', reason: `${describe(suspending)} (rule: ${suspending} → suspension)` };
  if (status === 'probation') {
    if (streak.failures >= rules.suspendAfterProbationFailures) return { to: 'suspended', reason: `${streak.failures} consecutive failed attempts while on probation` };
    if (streak.successes >= rules.reinstateAfterSuccesses) return { to: 'active', reason: `${streak.successes} consecutive verified attempts on probation` };
    return null;
  }
  const probation = anomalies.find((a) => rules.anomalyActions[a] === 'probation');
  if (probation) return { to: 'probation', reason: `${describe(probation)} (rule: ${probation} → probation)` };
  if (streak.failures >= rules.probationAfterFailures) return { to: 'probation', reason: `${streak.failures} consecutive verification failures` };
  return null;
}

function describe(kind: AnomalyKind): string {
  switch (kind) {
    case 'scope_violation':
      return 'changed files outside the task scope';
    case 'forbidden_command':
      return 'ran or tried a forbidden command';
    case 'false_claim':
      return 'claimed checks passed that did not';
    case 'loop':
      return 'repeated the same failing output';
    case 'cost_outlier':
      return 'cost far above its norm';
    case 'duration_outlier':
      return 'took far longer than its norm';
  }
}
