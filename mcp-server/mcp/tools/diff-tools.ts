// Diffs: two of a run's plan versions side by side, and a task's commit as a text diff.
import { z } from 'zod';
import { runIdSchema, taskIdSchema } from '../../../core/orchestrator';
import { READERS } from '../../auth/roles';
import type { McpServices } from '../services';
import { defineTool, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { iso } from './views';

const version = z.number().int().positive().max(1_000_000);

const planDiffSchema = z.object({
  runId: z.string(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      planHash: z.string(),
      planner: z.string().nullable(),
      state: z.enum(['applied', 'proposed', 'rejected']).describe('proposed: a replan waiting for approval'),
      seq: z.number().int().describe('its PlanGenerated or ReplanProposed event'),
      occurredAt: z.string(),
      actor: z.string(),
      approvalId: z.string().nullable(),
      taskCount: z.number().int(),
    }),
  ),
  from: z.number().int().nullable().describe('null: compared with no plan (the first version)'),
  to: z.number().int(),
  rows: z.array(
    z.object({
      key: z.string(),
      change: z.enum(['added', 'removed', 'changed', 'same']),
      fields: z.array(z.string()).describe('the fields that differ, for a changed task'),
      before: z.record(z.string(), z.unknown()).nullable(),
      after: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  summary: z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int(), same: z.number().int() }),
});

const taskDiffSchema = z.object({
  taskId: z.string(),
  runId: z.string(),
  key: z.string(),
  attempt: z.number().int(),
  against: z.enum(['base', 'run']),
  from: z.string().describe('the commit compared from'),
  to: z.string().describe("the attempt branch's head"),
  diff: z.string(),
  truncated: z.boolean(),
});

export function diffTools(services: McpServices): ToolDefinition[] {
  const orchestrator = services.orchestrator;
  if (!orchestrator) return [];

  const getPlanDiff = defineTool({
    name: 'get_plan_diff',
    title: 'Get plan diff',
    group: 'runs',
    description:
      "A run's plan versions (applied, a replan waiting for approval, rejected ones) and two of them side by side, task by task: added, removed, changed (naming the fields) or the same. Default: the newest against the applied one before it.",
    roles: READERS,
    input: z.strictObject({ runId: runIdSchema.describe('run id'), from: version.optional().describe('version compared from'), to: version.optional().describe('version compared to') }),
    output: z.object({ diff: planDiffSchema }),
    annotations: READ_ONLY,
    async run(args) {
      const d = await orchestrator.runs.planDiff(args);
      return { diff: { ...d, versions: d.versions.map((v) => ({ ...v, occurredAt: iso(v.occurredAt)! })), rows: d.rows.map((r) => ({ ...r, fields: [...r.fields] })) } };
    },
  });

  const getTaskDiff = defineTool({
    name: 'get_task_diff',
    title: 'Get task diff',
    group: 'tasks',
    description:
      "A task's commit as a unified diff: against the run-branch commit its attempt started from (against: base, what it changed) or against the run branch now (against: run). Default: its latest attempt.",
    roles: READERS,
    input: z.strictObject({
      taskId: taskIdSchema.describe('task id'),
      attempt: z.number().int().positive().max(1_000).optional().describe('attempt number'),
      against: z.enum(['base', 'run']).default('base'),
    }),
    output: z.object({ diff: taskDiffSchema }),
    annotations: READ_ONLY,
    async run(args) {
      return { diff: await orchestrator.tasks.diff(args) };
    },
  });

  return [getPlanDiff, getTaskDiff];
}
