// Time travel and replay tools: a run as it stood at one of its events (projected from the log).
import { z } from 'zod';
import { runIdSchema } from '../../../core/orchestrator';
import type { RunState } from '../../../core/runs/run-state-at';
import { READERS } from '../../auth/roles';
import type { McpServices } from '../services';
import { defineTool, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { iso } from './views';

const runStateSchema = z.object({
  runId: z.string(),
  at: z.object({ seq: z.number().int(), type: z.string(), occurredAt: z.string(), actor: z.string() }).describe('the event the state is taken right after'),
  lastSeq: z.number().int().describe("the run's last event: atEvent ranges over 1..lastSeq"),
  status: z.string(),
  planVersion: z.number().int(),
  planHash: z.string().nullable(),
  plan: z.unknown().describe('the plan in force at that event, as recorded by its PlanGenerated'),
  costUsd: z.number().describe('planning plus every attempt, from the events up to that one'),
  tasks: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      title: z.string(),
      kind: z.string(),
      status: z.string(),
      attempt: z.number().int(),
      employeeId: z.string().nullable(),
      dependsOn: z.array(z.string()),
      costUsd: z.number(),
      inPlan: z.boolean(),
    }),
  ),
  pendingApprovals: z.array(z.object({ id: z.string(), subject: z.string(), taskId: z.string().nullable(), reason: z.string(), requestedAtSeq: z.number().int() })),
});

export function runStateView(s: RunState): z.infer<typeof runStateSchema> {
  return { ...s, at: { ...s.at, occurredAt: iso(s.at.occurredAt)! }, tasks: s.tasks.map((t) => ({ ...t })), pendingApprovals: s.pendingApprovals.map((a) => ({ ...a })) };
}

export function replayTools(services: McpServices): ToolDefinition[] {
  const orchestrator = services.orchestrator;
  if (!orchestrator) return [];

  const getRunState = defineTool({
    name: 'get_run_state',
    title: 'Get run state at an event',
    group: 'replay',
    description:
      "Time travel: a run as it stood right after event `atEvent` of its stream (the seq query_events shows; omitted = its last): each task's state, attempt, employee and cost, the plan version and plan in force, the cost so far and the approvals waiting. Rebuilt from the event log, not from today's rows.",
    roles: READERS,
    input: z.strictObject({
      runId: runIdSchema.describe('run id'),
      atEvent: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().describe("seq of an event in the run's stream"),
    }),
    output: z.object({ state: runStateSchema }),
    annotations: READ_ONLY,
    async run(args) {
      return { state: runStateView(await orchestrator.runs.stateAt(args)) };
    },
  });

  return [getRunState];
}
