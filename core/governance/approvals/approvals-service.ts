// The Director's approval gates: every pending question (a task, a plan, a replan, a held command) with a preview and
// its evidence; approve (optionally with edits) or reject with a reason. Decisions are recorded with who took them.
import { AuraError } from '../../domain/errors';
import type { EventLog } from '../../events/event-log';
import type { Store } from '../../store/store';
import type { Orchestrator } from '../../orchestrator';
import type { Approval } from '../../runs/approval-row';
import type { TaskEdits } from '../../runs/inputs';
import type { EvidenceStore } from '../auditor/evidence-store';
import type { PolicyStore } from '../policy/policy-store';
import { type Requester, requireDirector } from '../requester';
import type { IntegrationCall } from '../../integrations/integration-schema';
import { INTEGRATION_APPROVAL_PREFIX } from '../../integrations/integration-calls';
import type { IntegrationsService } from '../../integrations/integrations-service';
import type { ToolApproval, ToolApprovalStore } from './tool-approvals';

export type ApprovalKind = 'task' | 'plan' | 'replan' | 'tool' | 'integration';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

export interface ApprovalView {
  id: string;
  kind: ApprovalKind;
  status: ApprovalStatus;
  /** Null for an integration call made for no run. */
  runId: string | null;
  taskId: string | null;
  reason: string;
  rule: string | null;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
  preview: ApprovalPreview;
  /** Evidence recorded for the task (or, for plans, none yet), newest last. */
  evidence: Array<{ hash: string; kind: string; attempt: number | null; createdAt: Date }>;
}

export interface ApprovalPreview {
  run: { id: string; title: string; status: string; budgetUsd: number | null; costUsd: number; policySet: string | null } | null;
  task?: { id: string; key: string; title: string; kind: string; status: string; description: string; scope: string[]; acceptance: unknown; attempt: number; lastError: string | null };
  /** The held command (tool approvals). */
  command?: string;
  /** The rule that asked, as written in the policy set in force. */
  policyRule?: { name: string; when: string; action: string; reason: string };
  /** Plan approvals: the plan as proposed. Replans: the proposal and its diff. */
  plan?: unknown;
  proposal?: unknown;
  /** Integration approvals: the external write held (connector, method, params) and, once run, what came of it. */
  integration?: { callId: string; connectorId: string; workspaceId: string; method: string; params: unknown; idempotencyKey: string; callStatus: string; attempts: number; result: unknown; error: string | null };
}

/** What the gates need of integrations: held writes, and deciding one. */
export type IntegrationGates = Pick<IntegrationsService, 'getCall' | 'calls' | 'decideIn'>;

export type ApprovalsBackend = Pick<Orchestrator, 'approvals' | 'tasks' | 'runs'>;

export interface ApprovalsService {
  list(filter?: { status?: ApprovalStatus; runId?: string; limit?: number; workspaceId?: string }): Promise<ApprovalView[]>;
  get(id: string): Promise<ApprovalView>;
  approve(requester: Requester, id: string, input?: { note?: string; edits?: TaskEdits }): Promise<ApprovalView>;
  reject(requester: Requester, id: string, reason: string): Promise<ApprovalView>;
}

export function createApprovalsService(deps: {
  store: Store;
  events: EventLog;
  backend: ApprovalsBackend;
  tools: ToolApprovalStore;
  evidence: EvidenceStore;
  policies: PolicyStore;
  integrations?: IntegrationGates;
}): ApprovalsService {
  const { backend, tools, evidence, policies, events, integrations } = deps;

  async function preview(kind: ApprovalKind, runId: string | null, taskId: string | null, rule: string | null, extra: Partial<ApprovalPreview>): Promise<Pick<ApprovalView, 'preview' | 'evidence'>> {
    const run = runId ? await backend.runs.get(runId).catch(() => null) : null;
    const p: ApprovalPreview = { run: run ? { id: run.id, title: run.title, status: run.status, budgetUsd: run.budgetUsd, costUsd: run.costUsd, policySet: run.policySet } : null, ...extra };
    if (kind === 'plan' && run) p.plan = run.plan;
    if (taskId) {
      const t = await backend.tasks.get(taskId).catch(() => null);
      if (t) p.task = { id: t.id, key: t.key, title: t.title, kind: t.kind, status: t.status, description: t.spec.description, scope: t.spec.scope, acceptance: t.spec.acceptance, attempt: t.attempt, lastError: t.lastError };
    }
    if (rule) {
      const set = await policies.inForce(run?.policySet ?? null).catch(() => policies.inForce(null));
      const found = set.set.rules.find((r) => r.name === rule);
      if (found) p.policyRule = { name: found.name, when: found.when, action: found.action, reason: found.reason };
    }
    const items = taskId && runId ? await evidence.list({ runId, taskId }) : [];
    return { preview: p, evidence: items.map((e) => ({ hash: e.hash, kind: e.kind, attempt: e.attempt, createdAt: e.createdAt })) };
  }

  const fromManager = async (a: Approval): Promise<ApprovalView> => ({
    id: a.id,
    kind: a.subject,
    status: a.status,
    runId: a.runId,
    taskId: a.taskId,
    reason: a.reason,
    rule: a.rule,
    requestedAt: a.requestedAt,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt,
    note: a.note,
    ...(await preview(a.subject, a.runId, a.taskId, a.rule, a.subject === 'replan' ? { proposal: a.proposal } : {})),
  });

  const fromTool = async (t: ToolApproval): Promise<ApprovalView> => ({
    id: t.id,
    kind: 'tool',
    status: t.status,
    runId: t.runId,
    taskId: t.taskId,
    reason: t.reason,
    rule: t.rule,
    requestedAt: t.requestedAt,
    decidedBy: t.decidedBy,
    decidedAt: t.decidedAt,
    note: t.note,
    ...(await preview('tool', t.runId, t.taskId, t.rule, { command: t.command })),
  });

  const fromIntegration = async (c: IntegrationCall): Promise<ApprovalView> => ({
    id: c.id,
    kind: 'integration',
    status: approvalStatusOf(c),
    runId: c.runId,
    taskId: null,
    reason: c.reason,
    rule: null,
    requestedAt: c.requestedAt,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt,
    note: c.note,
    ...(await preview('integration', c.runId, null, null, {
      integration: { callId: c.id, connectorId: c.connectorId, workspaceId: c.workspaceId, method: c.method, params: c.params, idempotencyKey: c.idempotencyKey, callStatus: c.status, attempts: c.attempts, result: c.result, error: c.error },
    })),
  });

  const integrationGates = (): IntegrationGates => {
    if (!integrations) throw new AuraError('not_found', 'No integrations are configured in this server.');
    return integrations;
  };

  const get = async (id: string) =>
    id.startsWith('tap_') ? fromTool(await tools.get(id)) : id.startsWith(INTEGRATION_APPROVAL_PREFIX) ? fromIntegration(await integrationGates().getCall(id)) : fromManager(await backend.approvals.get(id));

  return {
    async list(filter = {}) {
      const limit = filter.limit ?? 100;
      const managed = await backend.approvals.list({ status: filter.status, runId: filter.runId, limit, workspaceId: filter.workspaceId });
      const held = filter.status === 'cancelled' ? [] : await tools.list({ status: filter.status, runId: filter.runId, limit, workspaceId: filter.workspaceId });
      const writes = integrations && filter.status !== 'cancelled' ? await integrations.calls({ writesOnly: true, runId: filter.runId, statuses: filter.status ? callStatusesOf[filter.status] : undefined, limit, workspaceId: filter.workspaceId }) : [];
      const views = [...(await Promise.all(managed.map(fromManager))), ...(await Promise.all(held.map(fromTool))), ...(await Promise.all(writes.map(fromIntegration)))];
      return views.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime() || a.id.localeCompare(b.id)).slice(0, limit);
    },
    get,
    async approve(requester, id, input = {}) {
      await requireDirector(events, requester, `approve ${id}`);
      if (id.startsWith('tap_')) {
        const held = await deps.store.transaction((tx) => tools.decideIn(tx, id, { approved: true, by: requester.actor, note: input.note }));
        // The attempt that asked ended when its command was held; the task runs again, now allowed that command.
        const task = await backend.tasks.get(held.taskId);
        if (task.status === 'dead_letter') await backend.tasks.retry(held.taskId, input.edits ? { edits: input.edits } : {}, requester.actor);
        return get(id);
      }
      if (id.startsWith(INTEGRATION_APPROVAL_PREFIX)) {
        // Approved, the write is due: a Manager's integration runner (woken by the event) runs it once.
        const gates = integrationGates();
        await deps.store.transaction((tx) => gates.decideIn(tx, id, { approved: true, by: requester.actor, note: input.note }));
        return get(id);
      }
      await backend.tasks.resolveApproval(id, { approved: true, by: requester.actor, note: input.note, edits: input.edits });
      return get(id);
    },
    async reject(requester, id, reason) {
      await requireDirector(events, requester, `reject ${id}`);
      if (!reason?.trim()) throw new AuraError('invalid_input', 'A rejection needs a reason.');
      if (id.startsWith('tap_')) {
        await deps.store.transaction((tx) => tools.decideIn(tx, id, { approved: false, by: requester.actor, note: reason }));
        return get(id);
      }
      if (id.startsWith(INTEGRATION_APPROVAL_PREFIX)) {
        const gates = integrationGates();
        await deps.store.transaction((tx) => gates.decideIn(tx, id, { approved: false, by: requester.actor, note: reason }));
        return get(id);
      }
      await backend.tasks.resolveApproval(id, { approved: false, by: requester.actor, note: reason });
      return get(id);
    },
  };
}

const callStatusesOf: Record<Exclude<ApprovalStatus, 'cancelled'>, readonly IntegrationCall['status'][]> = {
  pending: ['pending_approval'],
  approved: ['approved', 'running', 'succeeded', 'failed'],
  rejected: ['rejected'],
};

/** A held write's place among the gates: waiting, approved (whatever running it came to), or rejected. */
function approvalStatusOf(c: IntegrationCall): ApprovalStatus {
  return c.status === 'pending_approval' ? 'pending' : c.status === 'rejected' ? 'rejected' : 'approved';
}
