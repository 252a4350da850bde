// After every attempt, in the Manager's transaction: cost, evidence bundle, anomalies, HR rules, score, budget limits.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json';
import type { Clock } from '../../domain/clock';
import type { EventLog, NewEvent } from '../../events/event-log';
import type { AttemptOutcome, RunInfo } from '../../manager/governance-port';
import type { Queryable } from '../../store/store';
import type { RunlogEntry, Runlogs } from '../../workforce/workers/runlog';
import type { Accountant } from '../accountant/accountant';
import type { AttemptFact } from '../accountant/scoring';
import type { BudgetCaps } from '../budget/budget-caps';
import { checkBudgetsIn, type CostBreach } from '../budget/budget-check';
import type { CostLedger } from '../budget/cost-ledger';
import { runInfoIn } from '../budget/run-budgets';
import type { GovernanceMetrics } from '../governance-metrics';
import type { Hr } from '../hr/hr-service';
import type { StatusChange } from '../hr/hr-rules';
import type { PolicyStore } from '../policy/policy-store';
import { type Anomaly, detectAnomalies } from './anomaly-rules';
import { attemptBundle } from './attempt-bundle';
import { forbiddenCommands } from './command-audit';
import type { EvidenceStore } from './evidence-store';
import type { VerificationRecorder, VerificationRow } from './verification-record';

export interface AttemptAuditDeps {
  events: EventLog;
  clock: Clock;
  evidence: EvidenceStore;
  recorder: VerificationRecorder;
  ledger: CostLedger;
  caps: BudgetCaps;
  policies: PolicyStore;
  accountant: Accountant;
  hr: Hr;
  metrics: GovernanceMetrics;
  runlogs?: Pick<Runlogs, 'read'>;
  /** Whether an attempt's error (throw, timeout, kill) is the employee's doing; default: see classifyError. */
  classifyError?: (error: string) => 'error' | 'infrastructure';
}

export interface AttemptAuditReport {
  outcome: AttemptFact['outcome'];
  evidenceHash: string;
  anomalies: Anomaly[];
  statusChange: StatusChange | null;
  breaches: CostBreach[];
}

/** Errors that are nobody's fault at the employee's end: the engine, the database, a cancel or a suspension. */
export function classifyError(error: string): 'error' | 'infrastructure' {
  return /\b(unavailable|engine|cancel(l)?ed|suspended|terminated|lease|shutting down|shutdown|manager stopped)\b/i.test(error) ? 'infrastructure' : 'error';
}

function classify(o: AttemptOutcome, rows: readonly VerificationRow[], classifyErr: (e: string) => 'error' | 'infrastructure'): AttemptFact['outcome'] {
  if (!o.result) return classifyErr(o.error ?? 'the attempt ended without a result');
  if (!o.verdict) return 'infrastructure';
  if (o.verdict.passed) return 'verified';
  const failing = rows.filter((r) => !r.passed);
  return o.result.status === 'succeeded' && failing.length > 0 && failing.every((r) => r.infrastructure) ? 'infrastructure' : 'failed';
}

/** What the scope layer keeps as evidence (scope-layer.ts). */
interface ScopeEvidence {
  outside?: string[];
  changedFiles?: string[];
  diff?: string;
}

const sha256 = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');

export async function auditAttemptIn(deps: AttemptAuditDeps, tx: Queryable, o: AttemptOutcome): Promise<AttemptAuditReport> {
  const { events, evidence, ledger, metrics } = deps;
  const a = o.assignment;
  const where = { runId: a.runId, taskId: a.taskId };
  const rows = await deps.recorder.rowsIn(tx, { ...where, attempt: a.attempt });
  const runGov = await runInfoIn(tx, a.runId);
  const policy = await deps.policies.inForce(runGov?.policySet ?? null, tx).catch(() => deps.policies.inForce(null, tx));
  const entries: RunlogEntry[] = deps.runlogs ? await deps.runlogs.read(a.taskId, a.attempt, tx) : [];

  const telemetry = o.result?.telemetry;
  const attemptUsd = telemetry && Number.isFinite(telemetry.costUsd) && telemetry.costUsd > 0 ? telemetry.costUsd : 0;
  if (await ledger.recordIn(tx, { key: a.idempotencyKey, source: 'attempt', ...where, attempt: a.attempt, employeeId: a.employee.id, model: telemetry?.model, tokensIn: telemetry?.tokensIn, tokensOut: telemetry?.tokensOut, costUsd: attemptUsd })) {
    metrics.costUsd.inc({ source: 'attempt' }, attemptUsd);
  }
  // Each model round of the attempt is a call: detail rows of the ledger (the attempt's row carries the total).
  let maxCallUsd = 0;
  for (const e of entries) {
    const d = e.detail as { costUsd?: unknown; tokensIn?: unknown; tokensOut?: unknown; model?: unknown } | undefined;
    if (e.kind !== 'model' || typeof d?.costUsd !== 'number' || !Number.isFinite(d.costUsd) || d.costUsd < 0) continue;
    maxCallUsd = Math.max(maxCallUsd, d.costUsd);
    await ledger.recordIn(tx, { key: `${a.idempotencyKey}#${e.seq}`, source: 'call', ...where, attempt: a.attempt, employeeId: a.employee.id, model: typeof d.model === 'string' ? d.model : null, tokensIn: Number(d.tokensIn) || 0, tokensOut: Number(d.tokensOut) || 0, costUsd: d.costUsd });
  }
  const run: RunInfo = { id: a.runId, title: runGov?.title ?? a.context.runTitle, budgetUsd: runGov?.budgetUsd ?? null, policySet: runGov?.policySet ?? null, costUsd: await ledger.runTotal(tx, a.runId) };

  const outcome = classify(o, rows, deps.classifyError ?? classifyError);
  const failedOutput = outcome === 'failed' || outcome === 'error' ? sha256({ status: o.result?.status ?? null, summary: o.result?.summary ?? null, output: o.result?.output ?? null, error: o.error ?? null }) : null;
  const earlier = await tx.query<{ output_hash: string }>(
    "SELECT output_hash FROM aura.attempt_facts WHERE run_id = $1 AND task_id = $2 AND attempt < $3 AND outcome IN ('failed', 'error') AND output_hash IS NOT NULL",
    [a.runId, a.taskId, a.attempt],
  );
  const history = (await deps.accountant.recentFacts(tx, a.employee.id, 60)).filter((f) => f.kind === a.task.kind && !(f.runId === a.runId && f.taskId === a.taskId && f.attempt === a.attempt));
  const scopeRow = rows.find((r) => r.layer === 'scope');
  // A change outside the scope is an anomaly whether the policy failed it or accepted it flagged.
  const scopeEvidence = scopeRow?.evidenceHash ? ((await evidence.getIn(tx, scopeRow.evidenceHash))?.content as ScopeEvidence | undefined) : undefined;
  const outside = scopeRow && !scopeRow.infrastructure ? (scopeEvidence?.outside ?? []) : [];
  const acceptanceRow = rows.find((r) => r.layer === 'acceptance');
  const acceptanceEvidence = acceptanceRow?.evidenceHash ? ((await evidence.getIn(tx, acceptanceRow.evidenceHash))?.content as { commands?: unknown[] } | undefined) : undefined;
  const forbidden = forbiddenCommands(entries, policy.set, a, run);
  const anomalies = detectAnomalies({
    outcome,
    outsideScope: outside,
    forbiddenCommands: forbidden,
    costUsd: attemptUsd,
    durationMs: Math.round(telemetry?.latencyMs ?? 0),
    history,
    outputHash: failedOutput,
    earlierFailedHashes: earlier.rows.map((r) => r.output_hash),
    claimsChecksPassed: o.result?.claimsChecksPassed,
    acceptancePassed: acceptanceRow && !acceptanceRow.infrastructure ? acceptanceRow.passed : null,
  });

  const work = { diff: scopeEvidence?.diff ?? null, changedFiles: scopeEvidence?.changedFiles ?? [], acceptance: acceptanceEvidence?.commands ?? [], modelCalls: await ledger.attemptCalls(tx, { ...where, attempt: a.attempt }) };
  const bundle = attemptBundle(o, { rows, entries, outcome, attemptUsd, policySet: `${policy.name}@${policy.version}`, work });
  const bundleHash = await evidence.putIn(tx, { kind: 'attempt', ...where, attempt: a.attempt, employeeId: a.employee.id, content: bundle });
  const recorded: NewEvent[] = [{ type: 'EvidenceRecorded', actor: 'auditor', ...where, payload: { evidenceHash: bundleHash, kind: 'attempt', attempt: a.attempt, employeeId: a.employee.id } }];
  for (const anomaly of anomalies) {
    const action = deps.hr.rules.anomalyActions[anomaly.kind];
    const hash = await evidence.putIn(tx, { kind: `anomaly:${anomaly.kind}`, ...where, attempt: a.attempt, employeeId: a.employee.id, content: { anomaly: anomaly.kind, reason: anomaly.reason, details: anomaly.details, attemptEvidence: bundleHash } });
    recorded.push({ type: 'AnomalyDetected', actor: 'auditor', ...where, payload: { kind: anomaly.kind, employeeId: a.employee.id, attempt: a.attempt, reason: anomaly.reason, evidenceHash: hash, action } });
    metrics.anomalies.inc({ kind: anomaly.kind });
  }
  for (const f of forbidden) {
    recorded.push({ type: 'PolicyViolation', actor: 'auditor', ...where, payload: { rule: f.rule, action: 'deny', subject: `command:${f.command.slice(0, 500)}`, details: { attempt: a.attempt, employeeId: a.employee.id, ran: f.ran, runlogSeq: f.seq }, evidenceHash: bundleHash } });
  }
  await events.appendIn(tx, recorded);

  const statusChange = await deps.hr.afterAttemptIn(tx, { employeeId: a.employee.id, outcome, anomalies: anomalies.map((x) => x.kind) });
  const review = rows.find((r) => r.layer === 'review' && !r.infrastructure);
  await deps.accountant.assessIn(tx, {
    ...where,
    payload: {
      employeeId: a.employee.id,
      kind: a.task.kind,
      attempt: a.attempt,
      outcome,
      durationMs: Math.max(0, Math.round(telemetry?.latencyMs ?? 0)),
      timeoutMs: a.task.timeoutMs,
      costUsd: attemptUsd,
      scopeViolation: outside.length > 0,
      violations: anomalies.filter((x) => x.kind !== 'scope_violation').length,
      reviewScore: review?.score ?? null,
      outputHash: failedOutput,
      claimsMismatch: anomalies.some((x) => x.kind === 'false_claim'),
      forbidden: forbidden.length > 0,
      evidenceHash: bundleHash,
    },
  });

  const breaches = await checkBudgetsIn(tx, deps, policy.set, { run: { runId: a.runId, budgetUsd: run.budgetUsd }, taskId: a.taskId, employeeId: a.employee.id, attempt: a.attempt, attemptUsd, maxCallUsd });
  const limits: NewEvent[] = [];
  for (const b of breaches) {
    const hash = await evidence.putIn(tx, { kind: 'budget', ...where, attempt: a.attempt, employeeId: a.employee.id, content: { breach: b, costs: await ledger.rollup(tx, a.runId), attemptEvidence: bundleHash } });
    limits.push({ type: 'CostLimitExceeded', actor: 'accountant', ...where, payload: { scope: b.scope, limitUsd: b.limitUsd, spentUsd: b.spentUsd, action: b.action, rule: b.rule, employeeId: a.employee.id, evidenceHash: hash } });
  }
  await events.appendIn(tx, limits);
  return { outcome, evidenceHash: bundleHash, anomalies, statusChange, breaches };
}
