// The Auditor's anomaly rules: scope, forbidden commands, cost or duration far above the norm, loops, false claims.
import type { AttemptFact } from '../accountant/scoring';
import type { AnomalyKind } from '../hr/hr-rules';

export interface Anomaly {
  kind: AnomalyKind;
  reason: string;
  details: Record<string, unknown>;
}

export const outlierRules = {
  /** The employee's own verified attempts of the kind needed before "far above its norm" means anything. */
  minHistory: 5,
  /** How many of its latest verified attempts make the norm. */
  window: 20,
  /** "Far above": more than this many times the median ... */
  factor: 3,
  /** ... and at least this much above it in absolute terms. */
  minCostExcessUsd: 0.01,
  minDurationExcessMs: 5_000,
};

export interface AnomalyInput {
  outcome: AttemptFact['outcome'];
  /** Changed files outside the task's scope (from the scope layer), empty when none or not checked. */
  outsideScope: readonly string[];
  /** Commands of this attempt that a policy denies. */
  forbiddenCommands: ReadonlyArray<{ command: string; rule: string; reason: string }>;
  costUsd: number;
  durationMs: number;
  /** The employee's earlier attempts of the same kind, newest first. */
  history: readonly AttemptFact[];
  /** sha256 of the attempt's failing output (status, summary, output, error); null when it did not fail. */
  outputHash: string | null;
  /** Output hashes of earlier failed attempts on the same task. */
  earlierFailedHashes: readonly string[];
  claimsChecksPassed: boolean | undefined;
  /** The acceptance layer's verdict: null when it did not run (or could not, for reasons not the employee's). */
  acceptancePassed: boolean | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function detectAnomalies(input: AnomalyInput): Anomaly[] {
  const found: Anomaly[] = [];
  if (input.outsideScope.length) {
    found.push({ kind: 'scope_violation', reason: `changed ${input.outsideScope.length} file(s) outside the task's scope: ${input.outsideScope.slice(0, 5).join(', ')}`, details: { outside: input.outsideScope } });
  }
  if (input.forbiddenCommands.length) {
    const first = input.forbiddenCommands[0]!;
    found.push({ kind: 'forbidden_command', reason: `command "${first.command.slice(0, 200)}" is forbidden by policy rule "${first.rule}"`, details: { commands: input.forbiddenCommands } });
  }
  if (input.claimsChecksPassed === true && input.acceptancePassed === false) {
    found.push({ kind: 'false_claim', reason: 'the employee claimed its acceptance checks passed; run by the Auditor they failed', details: {} });
  }
  if (input.outputHash && (input.outcome === 'failed' || input.outcome === 'error')) {
    const repeats = input.earlierFailedHashes.filter((h) => h === input.outputHash).length;
    if (repeats > 0) found.push({ kind: 'loop', reason: `the same failing output again (${repeats + 1} times on this task)`, details: { outputHash: input.outputHash, times: repeats + 1 } });
  }
  const norm = input.history.filter((f) => f.outcome === 'verified').slice(0, outlierRules.window);
  if (input.outcome !== 'infrastructure' && norm.length >= outlierRules.minHistory) {
    const cost = median(norm.map((f) => f.costUsd));
    if (input.costUsd > outlierRules.factor * cost && input.costUsd - cost >= outlierRules.minCostExcessUsd) {
      found.push({ kind: 'cost_outlier', reason: `cost $${input.costUsd.toFixed(4)} is more than ${outlierRules.factor}× its median $${cost.toFixed(4)}`, details: { costUsd: input.costUsd, medianUsd: cost, samples: norm.length } });
    }
    const duration = median(norm.map((f) => f.durationMs));
    if (input.durationMs > outlierRules.factor * duration && input.durationMs - duration >= outlierRules.minDurationExcessMs) {
      found.push({ kind: 'duration_outlier', reason: `took ${input.durationMs} ms, more than ${outlierRules.factor}× its median ${duration} ms`, details: { durationMs: input.durationMs, medianMs: duration, samples: norm.length } });
    }
  }
  return found;
}
