// The evidence bundle of one attempt: assignment, result, verification, commands with output, the diff, the Auditor's
// acceptance runs, model rounds by reference and each model call's tokens and cost, the attempt's cost.
import type { AttemptOutcome } from '../../manager/governance-port';
import type { RunlogEntry } from '../../workforce/workers/runlog';
import type { AttemptFact } from '../accountant/scoring';
import type { CallEntry } from '../budget/cost-ledger';
import { clip } from './evidence-scrub';
import type { VerificationRow } from './verification-record';

const OUTPUT_KEPT = 16 * 1024;
const DIFF_KEPT = 64 * 1024;

/** What the attempt did to the repository and what the Auditor saw of it, from the layers' own evidence. */
export interface AttemptWork {
  diff: string | null;
  changedFiles: readonly string[];
  /** The acceptance commands the Auditor ran in fresh containers, with exit codes and output. */
  acceptance: readonly unknown[];
  modelCalls: readonly CallEntry[];
}

export function attemptBundle(o: AttemptOutcome, extra: { rows: readonly VerificationRow[]; entries: readonly RunlogEntry[]; outcome: AttemptFact['outcome']; attemptUsd: number; policySet: string; work: AttemptWork }) {
  const a = o.assignment;
  const r = o.result;
  return {
    assignment: {
      runId: a.runId,
      taskId: a.taskId,
      attempt: a.attempt,
      idempotencyKey: a.idempotencyKey,
      deadline: new Date(a.deadline).toISOString(),
      task: a.task,
      employee: { id: a.employee.id, name: a.employee.profile.name, provider: a.employee.profile.provider, model: a.employee.profile.model, status: a.employee.status, tier: a.employee.tier },
      context: a.context,
      manager: a.manager ?? null,
      // A resumed attempt says how: its stored result verified again, or the employee restarted in its worktree.
      resumed: a.resumed ?? null,
    },
    result: r ? { status: r.status, summary: r.summary, output: r.output, claimsChecksPassed: r.claimsChecksPassed ?? null, commit: r.commit ?? null, telemetry: r.telemetry } : null,
    error: o.error ?? null,
    verdict: o.verdict,
    verification: extra.rows,
    commands: extra.entries
      .filter((e) => e.kind !== 'model')
      .map((e) => ({ seq: e.seq, kind: e.kind, command: e.command ?? null, exitCode: e.exitCode ?? null, durationMs: e.durationMs ?? null, reason: e.reason ?? null, stdout: clip(e.stdout ?? '', OUTPUT_KEPT), stderr: clip(e.stderr ?? '', OUTPUT_KEPT), detail: e.detail ?? null })),
    // Prompts and responses are not copied: each model round is referenced by its runlog entry (and call record).
    modelRounds: extra.entries.filter((e) => e.kind === 'model').map((e) => ({ runlog: { taskId: e.taskId, attempt: e.attempt, seq: e.seq }, round: e.command ?? null, reason: e.reason ?? null, durationMs: e.durationMs ?? null, detail: e.detail ?? null })),
    changedFiles: extra.work.changedFiles,
    diff: extra.work.diff === null ? null : clip(extra.work.diff, DIFF_KEPT),
    acceptance: extra.work.acceptance,
    modelCalls: extra.work.modelCalls.map((c) => ({ model: c.model, tokensIn: c.tokensIn, tokensOut: c.tokensOut, costUsd: c.costUsd, at: c.occurredAt.toISOString() })),
    cost: { usd: extra.attemptUsd, tokensIn: r?.telemetry.tokensIn ?? 0, tokensOut: r?.telemetry.tokensOut ?? 0, model: r?.telemetry.model ?? null },
    assessed: extra.outcome,
    policySet: extra.policySet,
  };
}
