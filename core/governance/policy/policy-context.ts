// Builds the variables a policy condition sees, with every field present so a rule never reads a missing key.
import { z } from 'zod';
import type { RunInfo } from '../../manager/governance-port';
import type { PlanTask } from '../../manager/plan-schema';
import type { Employee } from '../../workforce/employee';
import type { Checkpoint } from './policy-schema';

/** A tool call or command an employee is about to make (checked before it runs) or made (checked after). */
export const toolCallSchema = z.object({
  /** 'command' for a shell command line, 'call' for any other tool. */
  kind: z.enum(['command', 'call']),
  /** The tool's name ('shell' for commands). */
  name: z.string().min(1).max(200),
  /** The full command line, for commands. */
  command: z.string().max(20_000).default(''),
  args: z.array(z.string().max(20_000)).max(500).default([]),
  /** Files the call reads or writes, relative to the workspace. */
  paths: z.array(z.string().max(2000)).max(2000).default([]),
  /** The network destination (host or URL), when the call reaches the network. */
  host: z.string().max(2000).default(''),
});

export type ToolCall = z.infer<typeof toolCallSchema>;
export type ToolCallInput = z.input<typeof toolCallSchema>;

export interface EmployeeSpend {
  costUsd: number;
  capUsd: number | null;
}

/** At the cost checkpoint: one scope's spending and its limit (null when it has none). */
export interface CostFigures {
  scope: 'call' | 'task' | 'employee' | 'run';
  spentUsd: number;
  limitUsd: number | null;
}

/** At the scope checkpoint: what an attempt changed outside its task's scope. */
export interface ScopeFigures {
  /** Where the task's scope came from (plan-schema's scopeSource; "declared" for plans made before it existed). */
  source: 'declared' | 'inferred' | 'default';
  /** Changed files outside the scope. */
  outside: string[];
  /** Those of them that are protected paths (CI configuration, secret files). */
  protected: string[];
  /** Every file the attempt changed. */
  changed: string[];
}

export interface PolicyInput {
  checkpoint: Checkpoint;
  task?: PlanTask;
  /** The queue's id of the task, when it differs from the plan key. */
  taskId?: string;
  employee?: Employee;
  spend?: EmployeeSpend;
  run?: RunInfo;
  tool?: ToolCall;
  cost?: CostFigures;
  scope?: ScopeFigures;
}

export function policyContext(input: PolicyInput): Record<string, unknown> {
  const { task, employee, run, tool, cost, spend, scope } = input;
  return {
    checkpoint: input.checkpoint,
    task: {
      id: input.taskId ?? task?.id ?? '',
      key: task?.id ?? '',
      title: task?.title ?? '',
      kind: task?.kind ?? '',
      description: task?.description ?? '',
      scope: task?.scope ?? [],
      scopeSource: task?.scopeSource ?? 'declared',
      skills: task?.skills ?? [],
      dependsOn: task?.dependsOn ?? [],
      criteria: task?.acceptance.criteria ?? [],
      commands: task?.acceptance.commands ?? [],
      maxAttempts: task?.maxAttempts ?? 0,
      timeoutMs: task?.timeoutMs ?? 0,
    },
    employee: {
      id: employee?.id ?? '',
      name: employee?.profile.name ?? '',
      provider: employee?.profile.provider ?? '',
      model: employee?.profile.model ?? '',
      status: employee?.status ?? '',
      tier: employee?.tier ?? '',
      skills: employee?.profile.skills ?? [],
      egress: employee?.profile.egress ?? false,
      costUsd: spend?.costUsd ?? 0,
      hasCap: spend?.capUsd !== null && spend?.capUsd !== undefined,
      capUsd: spend?.capUsd ?? 0,
    },
    run: {
      id: run?.id ?? '',
      title: run?.title ?? '',
      policySet: run?.policySet ?? '',
      costUsd: run?.costUsd ?? 0,
      hasBudget: run?.budgetUsd !== null && run?.budgetUsd !== undefined,
      budgetUsd: run?.budgetUsd ?? 0,
    },
    tool: {
      kind: tool?.kind ?? '',
      name: tool?.name ?? '',
      command: tool?.command ?? '',
      args: tool?.args ?? [],
      paths: tool?.paths ?? [],
      host: tool?.host ?? '',
    },
    scope: {
      source: scope?.source ?? '',
      outside: scope?.outside ?? [],
      protected: scope?.protected ?? [],
      changed: scope?.changed ?? [],
    },
    cost: {
      scope: cost?.scope ?? '',
      spentUsd: cost?.spentUsd ?? 0,
      hasLimit: cost?.limitUsd !== null && cost?.limitUsd !== undefined,
      limitUsd: cost?.limitUsd ?? 0,
    },
  };
}
