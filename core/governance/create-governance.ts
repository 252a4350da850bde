// Composition of governance for one process: policies, Auditor, Accountant, HR, budgets, retention, archive, and
// the Governance port the Manager calls.
import path from 'node:path';
import type { ContainerRuntime } from '../containers/container-runtime';
import type { CoreContext } from '../core-context';
import type { Governance } from '../manager/governance-port';
import { canReceiveWork } from '../workforce/employee';
import type { EmployeeRegistry } from '../workforce/employee-registry';
import type { ModelProvider } from '../workforce/model-provider';
import type { CommandGate } from '../workforce/workers/attempt-container';
import type { Runlogs } from '../workforce/workers/runlog';
import type { Workspace } from '../workspace/workspace';
import { type Accountant, createAccountant } from './accountant/accountant';
import type { ScoringParams } from './accountant/scoring';
import { createRunArchive, type RunArchive } from './archive/run-archive';
import { auditAttemptIn } from './auditor/attempt-audit';
import { createEvidenceStore, type EvidenceStore } from './auditor/evidence-store';
import { createVerificationRecorder } from './auditor/verification-record';
import { verifyResult } from './auditor/verifier';
import { type BudgetCaps, createBudgetCaps } from './budget/budget-caps';
import { createCostLedger, type CostLedger } from './budget/cost-ledger';
import { createGovernanceEnforcer, type GovernanceEnforcer, type GovernanceHooks } from './governance-enforcer';
import { createGovernanceMetrics } from './governance-metrics';
import type { HrRules } from './hr/hr-rules';
import { createHr, type Hr } from './hr/hr-service';
import { type ApprovalsBackend, type ApprovalsService, createApprovalsService, type IntegrationGates } from './approvals/approvals-service';
import { createToolApprovals, type ToolApprovalStore } from './approvals/tool-approvals';
import { createCommandGate } from './policy/command-gate';
import { createPolicyChecks, type PolicyChecks } from './policy/policy-checks';
import { createPolicyStore, type PolicyFileReport, type PolicyStore } from './policy/policy-store';
import type { Requester } from './requester';
import { cleanupRetention, type RetentionReport } from './retention/retention-cleanup';

export interface GovernanceOptions {
  registry: EmployeeRegistry;
  workspace?: Workspace;
  /** Where the Auditor runs acceptance checks; without one they cannot run (and never run unisolated). */
  runtime?: ContainerRuntime;
  /** The image checks run in when an employee's profile names none (default: config.workerImage). */
  checkImage?: string;
  /** The optional reviewing model. */
  reviewer?: ModelProvider;
  runlogs?: Pick<Runlogs, 'read'>;
  hrRules?: HrRules;
  scoring?: ScoringParams;
  /** Folder of policy files loaded at start (default $AURA_HOME/policies). */
  policiesDir?: string;
  /** Whether this process archives finished runs (default: yes). */
  archives?: () => boolean;
}

export interface GovernanceServices {
  /** What the Manager calls. */
  port: Governance;
  /** What employees' containers call before each command or file change. */
  commandGate: CommandGate;
  policies: PolicyStore;
  checks: PolicyChecks;
  evidence: EvidenceStore;
  accountant: Accountant;
  hr: Hr;
  ledger: CostLedger;
  caps: BudgetCaps;
  archive: RunArchive;
  enforcer: GovernanceEnforcer;
  toolApprovals: ToolApprovalStore;
  /** Policy files found at start and whether each was taken. */
  policyFiles: PolicyFileReport[];
  /**
   * Connects governance to the Manager once the orchestrator exists: approvals are answered through it, and a run
   * a budget halts is paused through it. Returns the approvals service (the Director's gates).
   */
  connect(orchestrator: ApprovalsBackend, hooks?: GovernanceHooks, gates?: { integrations?: IntegrationGates }): ApprovalsService;
  cleanupRetention(requester: Requester, options?: { retentionDays?: number }): Promise<RetentionReport>;
}

export async function createGovernance(ctx: CoreContext, options: GovernanceOptions): Promise<GovernanceServices> {
  const { store, events, clock, logger, signer, config } = ctx;
  const { registry } = options;
  const metrics = createGovernanceMetrics(ctx.metrics);
  const policies = createPolicyStore({ store, events, clock, logger });
  await policies.ensureShipped();
  const policyFiles = await policies.loadFolder(options.policiesDir ?? path.join(config.home, 'policies'), 'system');
  const evidence = createEvidenceStore({ store, signer, clock });
  const ledger = createCostLedger({ clock });
  const caps = createBudgetCaps({ store, events, clock });
  const accountant = createAccountant({ store, events, clock, registry, metrics, windowDays: config.retentionDays, params: options.scoring });
  const hr = createHr({ store, events, clock, registry, rules: options.hrRules });
  const checks = createPolicyChecks({ store, events, clock, policies, ledger, caps, registry });
  const recorder = createVerificationRecorder({ store, events, evidence, clock, metrics });
  const archive = createRunArchive({ store, events, signer, clock, accountant, ledger });
  const enforcer = createGovernanceEnforcer({ store, events, logger, archive, runtime: options.runtime, archives: options.archives });
  const toolApprovals = createToolApprovals({ store, events, clock });
  const commandGate = createCommandGate({ checks, events, evidence, approvals: toolApprovals });

  const verifierDeps = {
    store,
    clock,
    logger,
    recorder,
    ledger,
    metrics,
    workspace: options.workspace,
    acceptance: { runtime: options.runtime, defaultImage: options.checkImage ?? config.workerImage },
    reviewer: options.reviewer,
    reviewThreshold: config.reviewThreshold,
    runlogs: options.runlogs,
    policyFor: checks.policyFor,
    approvals: toolApprovals,
    statusOf: async (id: string) => (await registry.get(id)).status,
  };
  const auditDeps = { events, clock, evidence, recorder, ledger, caps, policies, accountant, hr, metrics, runlogs: options.runlogs };

  const port: Governance = {
    checkPlan: (plan, run) => checks.checkPlan(plan, run),
    beforeTask: (task, employee, run) => checks.beforeTask(task, employee, run),
    verify: (assignment, result) => verifyResult(verifierDeps, assignment, result),
    afterAttempt: async (tx, outcome) => {
      await auditAttemptIn(auditDeps, tx, outcome);
    },
    async rankEmployees(task, candidates) {
      const ranked = await accountant.rank(task.kind, candidates.filter((e) => canReceiveWork(e.status)));
      // Employees above their spending cap go last: work reaches them only when nobody else can take it (and then
      // the task checkpoint holds it for the Director).
      const over = new Set<string>();
      for (const e of ranked) {
        const cap = await caps.get(store, `employee:${e.id}`);
        if (cap !== null && (await ledger.employeeTotal(store, e.id)) > cap) over.add(e.id);
      }
      return [...ranked.filter((e) => !over.has(e.id)), ...ranked.filter((e) => over.has(e.id))];
    },
  };

  return {
    port,
    commandGate,
    policies,
    checks,
    evidence,
    accountant,
    hr,
    ledger,
    caps,
    archive,
    enforcer,
    toolApprovals,
    policyFiles,
    connect(orchestrator, hooks = {}, gates = {}) {
      enforcer.attach({
        pauseRun: async (runId, reason) => {
          const run = await orchestrator.runs.get(runId);
          if (run.status === 'running') await orchestrator.runs.pause(runId, reason, 'accountant');
        },
        ...hooks,
      });
      return createApprovalsService({ store, events, backend: orchestrator, tools: toolApprovals, evidence, policies, integrations: gates.integrations });
    },
    cleanupRetention: (requester, opts) => cleanupRetention({ store, events, clock, retentionDays: config.retentionDays, snapshotsDir: config.snapshotsDir }, requester, opts),
  };
}
