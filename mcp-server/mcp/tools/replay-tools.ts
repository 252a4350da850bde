// Time travel and replay tools: a run as it stood at one of its events (projected from the log), replaying a run
// from its record, and the replay's comparison with its original.
import { z } from 'zod';
import { runIdSchema } from '../../../core/orchestrator';
import type { RunState } from '../../../core/runs/run-state-at';
import { OPERATORS, READERS } from '../../auth/roles';
import type { McpServices } from '../services';
import { ADDITIVE, defineTool, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { iso, runSummarySchema, runSummaryView } from './views';

const side = z.object({
  taskId: z.string(),
  status: z.string(),
  attempt: z.number().int(),
  commit: z.string().nullable(),
  tree: z.string().nullable().describe('git tree hash of the task commit'),
  evidenceHash: z.string().nullable().describe('sha256 of the evidence that should match (result, diff, commands and output, acceptance runs)'),
  verdicts: z.array(z.string()),
  costUsd: z.number(),
});

const replayReportSchema = z.object({
  runId: z.string(),
  originalRunId: z.string(),
  until: z.number().int().nullable(),
  status: z.string(),
  final: z.boolean().describe('false while the replay has not settled: the comparison as it stands'),
  diverged: z.boolean(),
  costUsd: z.number(),
  ledgerUsd: z.number(),
  originalCostUsd: z.number(),
  tasks: z.array(z.object({ key: z.string(), original: side.nullable(), replay: side.nullable(), differences: z.array(z.string()) })),
  divergences: z.array(
    z.object({ seq: z.number().int(), taskKey: z.string(), attempt: z.number().int(), callKey: z.string(), repeat: z.number().int(), kind: z.string(), provider: z.string(), model: z.string(), reason: z.string(), detail: z.string() }).passthrough(),
  ),
  firstDivergence: z.string().nullable(),
  createdAt: z.string(),
});

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

  const replayRun = defineTool({
    name: 'replay_run',
    title: 'Replay run',
    group: 'replay',
    description:
      "Replay a run from its record: a new run (replayOf = the original) with the original's plan, on its repository from its base commit, every model call served from the record (no network; a call not in the record fails the replay, naming its key) and every command run again and compared. `until` stops at the tasks the original had started by that event. Follow it with get_replay_report.",
    roles: OPERATORS,
    input: z.strictObject({
      runId: runIdSchema.describe('the run to replay'),
      until: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().describe("an event seq of the original: replay as far as that"),
    }),
    output: z.object({ run: runSummarySchema }),
    annotations: ADDITIVE,
    async run(args, { actor }) {
      return { run: runSummaryView(await orchestrator.replays.start(args, actor)) };
    },
  });

  const getReplayReport = defineTool({
    name: 'get_replay_report',
    title: 'Get replay report',
    group: 'replay',
    description: 'How a replay compares with its original, task by task: git tree hashes of the commits, evidence hashes, verification verdicts, costs (a replay costs nothing), and the first divergence.',
    roles: READERS,
    input: z.strictObject({ runId: runIdSchema.describe('the replay run') }),
    output: z.object({ report: replayReportSchema }),
    annotations: READ_ONLY,
    async run(args) {
      return { report: await orchestrator.replays.report(args.runId) };
    },
  });

  return [getRunState, replayRun, getReplayReport];
}
