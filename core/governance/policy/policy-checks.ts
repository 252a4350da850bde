// The policy questions the Manager and the workers ask: at plan time, before a task, before a tool call or command.
import type { Clock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import type { EventLog, NewEvent } from '../../events/event-log';
import type { PlanDecision, RunInfo, TaskDecision } from '../../manager/governance-port';
import type { Plan, PlanTask } from '../../manager/plan-schema';
import type { Store } from '../../store/store';
import { canReceiveWork, type Employee } from '../../workforce/employee';
import type { EmployeeRegistry } from '../../workforce/employee-registry';
import type { Assignment } from '../../workforce/worker';
import type { BudgetCaps } from '../budget/budget-caps';
import type { CostLedger } from '../budget/cost-ledger';
import { rememberRunIn, runInfoIn } from '../budget/run-budgets';
import type { CompiledPolicySet } from './policy-compile';
import type { ToolCall } from './policy-context';
import { decide, type PolicyDecision } from './policy-evaluate';
import type { PolicyStore } from './policy-store';

export interface PolicyChecksDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  policies: PolicyStore;
  ledger: CostLedger;
  caps: BudgetCaps;
  registry: EmployeeRegistry;
}

export interface PolicyChecks {
  checkPlan(plan: Plan, run: RunInfo): Promise<PlanDecision>;
  beforeTask(task: PlanTask, employee: Employee, run: RunInfo): Promise<TaskDecision>;
  /** Before a tool call or command of an attempt runs. */
  checkTool(a: Assignment, tool: ToolCall): Promise<PolicyDecision>;
  /** The set in force for a run (its own, or "default" when it names none or one that no longer exists). */
  policyFor(runId: string): Promise<{ set: CompiledPolicySet; run: RunInfo }>;
}

/** Repeated identical refusals (the scheduler asks again each round) are recorded once per process. */
const MAX_REMEMBERED = 10_000;

export function createPolicyChecks(deps: PolicyChecksDeps): PolicyChecks {
  const { store, events, clock, policies, ledger, caps, registry } = deps;
  const recorded = new Set<string>();
  // What this process last wrote to aura.run_governance per run: a write only when the budget or policy set changed.
  const remembered = new Map<string, string>();
  const remember = async (run: RunInfo) => {
    const signature = JSON.stringify([run.title, run.budgetUsd, run.policySet]);
    if (remembered.get(run.id) === signature) return;
    await store.transaction((tx) => rememberRunIn(tx, run, clock.now()));
    if (remembered.size > MAX_REMEMBERED) remembered.clear();
    remembered.set(run.id, signature);
  };
  const recordOnce = async (key: string, event: NewEvent) => {
    if (recorded.has(key)) return;
    if (recorded.size > MAX_REMEMBERED) recorded.clear();
    recorded.add(key);
    await events.append(event);
  };
  const notices = async (d: PolicyDecision, runId: string, taskId: string | null, subject: string) => {
    // Plan-time events go on the system stream: a run's own chain starts with RunStarted, written after the check.
    const stream = taskId === null && subject.startsWith('plan:') ? 'system' : undefined;
    for (const n of d.notices) await recordOnce(`notice|${runId}|${subject}|${n.rule}`, { type: 'PolicyNotice', actor: 'policy', runId, taskId, stream, payload: { rule: n.rule, subject, reason: n.reason } });
  };

  async function policyFor(runId: string) {
    const info = await runInfoIn(store, runId);
    const inForce = await policies.inForce(info?.policySet ?? null).catch((error: unknown) => {
      if (AuraError.is(error, 'not_found')) return policies.inForce(null);
      throw error;
    });
    const run: RunInfo = { id: runId, title: info?.title ?? runId, budgetUsd: info?.budgetUsd ?? null, policySet: info?.policySet ?? null, costUsd: await ledger.runTotal(store, runId) };
    return { set: inForce.set, run };
  }

  return {
    policyFor,
    async checkPlan(plan, run) {
      await remember(run);
      let set: CompiledPolicySet;
      try {
        set = (await policies.inForce(run.policySet)).set;
      } catch (error) {
        if (!AuraError.is(error, 'not_found')) throw error;
        return { action: 'deny', rule: 'policy-set', reason: error.message };
      }
      let approval: PlanDecision | null = null;
      for (const task of plan.tasks) {
        const d = decide(set, { checkpoint: 'plan', task, run });
        await notices(d, run.id, null, `plan:${task.id}`);
        if (d.action === 'allow') continue;
        const reason = `task "${task.id}" (${task.title}): ${d.reason}`;
        await recordOnce(`plan|${run.id}|${task.id}|${d.rule}`, { type: 'PolicyViolation', actor: 'policy', runId: run.id, stream: 'system', payload: { rule: d.rule!, action: d.action, subject: `plan-task:${task.id}`, details: { checkpoint: 'plan' } } });
        if (d.action === 'deny') return { action: 'deny', rule: d.rule!, reason };
        approval ??= { action: 'require_approval', rule: d.rule!, reason };
      }
      return approval ?? { action: 'allow' };
    },
    async beforeTask(task, employee, run) {
      await remember(run);
      const current = await registry.get(employee.id);
      if (!canReceiveWork(current.status)) return { action: 'deny', rule: 'hr-status', reason: `${current.profile.name} is ${current.status} and receives no work.` };
      const set = (await policyFor(run.id)).set;
      const spend = { costUsd: await ledger.employeeTotal(store, employee.id), capUsd: await caps.get(store, `employee:${employee.id}`) };
      const costUsd = Math.max(run.costUsd, await ledger.runTotal(store, run.id));
      const d = decide(set, { checkpoint: 'task', task, employee: current, spend, run: { ...run, costUsd } });
      await notices(d, run.id, null, `task:${task.id}`);
      if (d.action === 'allow') return { action: 'allow' };
      await recordOnce(`task|${run.id}|${task.id}|${employee.id}|${d.rule}`, {
        type: 'PolicyViolation',
        actor: 'policy',
        runId: run.id,
        payload: { rule: d.rule!, action: d.action, subject: `task:${task.id}`, details: { checkpoint: 'task', employeeId: employee.id, runCostUsd: costUsd, budgetUsd: run.budgetUsd } },
      });
      return { action: d.action, rule: d.rule!, reason: d.reason! };
    },
    async checkTool(a, tool) {
      const { set, run } = await policyFor(a.runId);
      const d = decide(set, { checkpoint: 'tool', task: a.task, taskId: a.taskId, employee: a.employee, run, tool });
      await notices(d, a.runId, a.taskId, `command:${tool.command || tool.name}`);
      return d;
    },
  };
}
