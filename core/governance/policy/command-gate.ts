// The gate employees' containers ask before each command or file change: policy decides, refusals are evidence.
import type { EventLog } from '../../events/event-log';
import type { CommandGate, GateDecision } from '../../workforce/workers/attempt-container';
import type { EvidenceStore } from '../auditor/evidence-store';
import type { PolicyChecks } from './policy-checks';

export interface ToolApprovals {
  /** Whether the Director approved this command for this task (after an earlier attempt was held for it). */
  isApproved(runId: string, taskId: string, command: string): Promise<boolean>;
  /** Notes that this command waits for the Director; the task's next turn asks for approval. */
  hold(input: { runId: string; taskId: string; attempt: number; command: string; rule: string; reason: string; evidenceHash: string | null }): Promise<void>;
}

export function createCommandGate(deps: { checks: PolicyChecks; events: EventLog; evidence: EvidenceStore; approvals?: ToolApprovals }): CommandGate {
  const { checks, events, evidence } = deps;
  return async (request): Promise<GateDecision> => {
    const a = request.assignment;
    const tool = { kind: request.kind, name: request.name, command: request.command, args: [], paths: request.paths, host: '' };
    const decision = await checks.checkTool(a, tool);
    if (decision.action === 'allow') return { action: 'allow' };
    const shown = request.command || `${request.name} ${request.paths.join(' ')}`.trim();
    if (decision.action === 'require_approval' && deps.approvals && (await deps.approvals.isApproved(a.runId, a.taskId, shown))) return { action: 'allow' };
    const evidenceHash = await evidence.put({
      kind: 'tool-call',
      runId: a.runId,
      taskId: a.taskId,
      attempt: a.attempt,
      employeeId: a.employee.id,
      content: { tool, decision: { action: decision.action, rule: decision.rule, reason: decision.reason } },
    });
    await events.append({
      type: 'PolicyViolation',
      actor: 'policy',
      runId: a.runId,
      taskId: a.taskId,
      payload: { rule: decision.rule!, action: decision.action, subject: `${request.kind}:${shown.slice(0, 500)}`, details: { checkpoint: 'tool', attempt: a.attempt, employeeId: a.employee.id }, evidenceHash },
    });
    if (decision.action === 'require_approval' && deps.approvals) {
      await deps.approvals.hold({ runId: a.runId, taskId: a.taskId, attempt: a.attempt, command: shown, rule: decision.rule!, reason: decision.reason!, evidenceHash });
    }
    return { action: decision.action, rule: decision.rule!, reason: decision.reason! };
  };
}
