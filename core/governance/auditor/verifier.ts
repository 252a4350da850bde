// The Auditor's verification of a reported result: schema, scope, acceptance checks in fresh containers, optional review.
import type { Clock } from '../../domain/clock';
import { toAuraError } from '../../domain/errors';
import type { RunInfo, Verdict } from '../../manager/governance-port';
import type { Logger } from '../../observability/logger';
import type { Store } from '../../store/store';
import { canReceiveWork, type EmployeeStatus } from '../../workforce/employee';
import type { ModelProvider } from '../../workforce/model-provider';
import type { Assignment, WorkResult } from '../../workforce/worker';
import type { Runlogs } from '../../workforce/workers/runlog';
import type { Workspace } from '../../workspace/workspace';
import type { CompiledPolicySet } from '../policy/policy-compile';
import type { CostLedger } from '../budget/cost-ledger';
import type { GovernanceMetrics } from '../governance-metrics';
import { type AcceptanceDeps, runAcceptance } from './acceptance-layer';
import { runReview } from './review-layer';
import { forbiddenCommands } from './command-audit';
import { checkResultSchema } from './schema-layer';
import { checkScope, judgeScope } from './scope-layer';
import type { ToolApprovals } from '../policy/command-gate';
import type { LayerOutcome, VerificationRecorder } from './verification-record';

export interface VerifierDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  recorder: VerificationRecorder;
  ledger: CostLedger;
  metrics: GovernanceMetrics;
  workspace?: Workspace;
  acceptance: AcceptanceDeps;
  /** The optional reviewing model; without one the review layer does not run. */
  reviewer?: ModelProvider;
  reviewThreshold: number;
  runlogs?: Pick<Runlogs, 'read'>;
  /** The policy set in force for the attempt's run, with the run as policies see it. */
  policyFor(runId: string): Promise<{ set: CompiledPolicySet; run: RunInfo }>;
  /** Where a change outside scope that a policy asks the Director about is held. */
  approvals?: ToolApprovals;
  /** The employee's status now (it may have been suspended while it worked). */
  statusOf(employeeId: string): Promise<EmployeeStatus>;
}

const failed = (reason: string): Verdict => ({ passed: false, reason, retryable: true });

export async function verifyResult(deps: VerifierDeps, a: Assignment, result: WorkResult): Promise<Verdict> {
  const record = (outcome: LayerOutcome) => deps.recorder.record(a, outcome);

  const schema = checkResultSchema(result);
  await record(schema);
  if (!schema.passed) return failed(schema.reason!);

  const status = await deps.statusOf(a.employee.id);
  if (!canReceiveWork(status)) {
    const reason = `${a.employee.profile.name} was ${status} while it worked: its work is not accepted`;
    await record({ layer: 'policy', passed: false, reason, details: { status } });
    return failed(reason);
  }
  if (deps.runlogs) {
    const { set, run } = await deps.policyFor(a.runId);
    const forbidden = forbiddenCommands(await deps.runlogs.read(a.taskId, a.attempt), set, a, run);
    const conduct: LayerOutcome = forbidden.length
      ? { layer: 'policy', passed: false, reason: `ran or tried a forbidden command: "${forbidden[0]!.command.slice(0, 200)}" (rule ${forbidden[0]!.rule})`, evidence: { forbidden } }
      : { layer: 'policy', passed: true };
    await record(conduct);
    if (!conduct.passed) return failed(conduct.reason!);
  }

  let scope: LayerOutcome | null;
  try {
    scope = await checkScope(deps.workspace, a);
    if (scope && !scope.passed) scope = await judgeScope(deps, a, scope);
  } catch (error) {
    scope = { layer: 'scope', passed: false, infrastructure: true, reason: `the change could not be inspected: ${toAuraError(error).message}` };
  }
  if (scope) await record(scope);
  if (result.status === 'failed') return failed(`the employee reported failure: ${result.summary.slice(0, 1000)}`);
  if (scope && !scope.passed) return failed(scope.reason!);

  const acceptance = await runAcceptance({ ...deps.acceptance, workspace: deps.workspace }, a, result);
  if (acceptance) await record(acceptance);
  if (acceptance && !acceptance.passed) return failed(acceptance.reason!);

  if (deps.reviewer) {
    const diff = (scope?.evidence as { diff?: string } | undefined)?.diff ?? null;
    const summary = acceptance ? `all ${a.task.acceptance.commands.length} passed` : null;
    const review = await runReview(deps.reviewer, deps.reviewThreshold, a, result, diff, summary);
    if (review.response) {
      const response = review.response;
      await deps.store.transaction((tx) =>
        deps.ledger.recordIn(tx, { key: `review:${a.idempotencyKey}`, source: 'review', runId: a.runId, taskId: a.taskId, attempt: a.attempt, model: response.model, tokensIn: response.tokensIn, tokensOut: response.tokensOut, costUsd: response.costUsd }),
      );
      deps.metrics.costUsd.inc({ source: 'review' }, response.costUsd);
    }
    await record(review.outcome);
    if (!review.outcome.passed) return failed(review.outcome.reason!);
  }
  return { passed: true };
}
