// Run tools: submit a PRD, list and read runs (plan DAG, progress, cost), pause, resume, cancel, replan.
import { z } from 'zod';
import { listRunsInputSchema, prdSchema as corePrdSchema, runIdSchema } from '../../../core/orchestrator';

/** A PRD at the MCP edge: it has to fit in one message (MAX_MESSAGE_BYTES); the core takes larger ones from its API. */
const prdSchema = corePrdSchema.max(1_000_000, 'the PRD is longer than 1,000,000 characters, the most one MCP message carries; split it into several PRDs');
import { runStatuses } from '../../../core/runs/run-row';
import { submitFromTemplate } from '../../../core/templates/submit-from-template';
import { templateNameSchema } from '../../../core/templates/template-format';
import { AuraError } from '../../../core/domain/errors';
import { DEFAULT_WORKSPACE } from '../../../core/tenancy/workspace';
import { OPERATORS, READERS } from '../../auth/roles';
import { reason, text } from '../input-limits';
import { withHeartbeat } from '../progress';
import type { McpServices } from '../services';
import { ADDITIVE, DESTRUCTIVE, defineTool, IDEMPOTENT_CHANGE, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { runDetailSchema, runDetailView, runSummarySchema, runSummaryView } from './views';

const runId = runIdSchema.describe('run id');
const oneRun = z.object({ run: runSummarySchema });

export function runsTools(services: McpServices): ToolDefinition[] {
  const orchestrator = services.orchestrator;
  if (!orchestrator) return [];

  const submitPrd = defineTool({
    name: 'submit_prd',
    title: 'Submit PRD',
    group: 'runs',
    description: 'Start a run: the Manager plans the Markdown PRD (or a phase template filled with its variables) into a task DAG and queues it. Returns the run; follow it with get_run.',
    roles: OPERATORS,
    input: z
      .strictObject({
        prd: prdSchema.optional().describe('the PRD in Markdown (the write_prd prompt shows the shape that plans best); with a template, its PRD or context'),
        title: text(300, 1).optional(),
        budgetUsd: z.number().nonnegative().max(1_000_000).optional(),
        policySet: text(100, 1).optional().describe('policy set name (default "default")'),
        workspace: text(1000, 1).optional().describe('absolute path of a git repository to work in'),
        template: templateNameSchema.optional().describe('start from this phase template (list_templates)'),
        templateVersion: z.number().int().positive().optional(),
        variables: z.record(z.string().max(40), text(200_000)).optional().describe("the template's variables"),
      })
      .refine((a) => a.prd !== undefined || a.template !== undefined, { message: 'give the PRD, or a template', path: ['prd'] })
      .refine((a) => a.template !== undefined || (a.variables === undefined && a.templateVersion === undefined), { message: 'variables and templateVersion go with a template', path: ['template'] }),
    output: oneRun,
    annotations: ADDITIVE,
    async run(args, { actor, progress, principal }) {
      const { template, templateVersion, variables, prd, ...fields } = args;
      const rest = { ...fields, workspaceId: principal.workspaceId };
      const library = services.templates;
      // Saved templates are not divided into workspaces yet: other workspaces start from the shipped ones only.
      if (template !== undefined && library && principal.workspaceId !== DEFAULT_WORKSPACE && (await library.get(template, templateVersion)).origin !== 'shipped') {
        throw new AuraError('not_found', `No template ${template}${templateVersion ? ` version ${templateVersion}` : ''}.`);
      }
      const submitted =
        template !== undefined && library
          ? submitFromTemplate({ library, events: services.core.events, submit: orchestrator.runs.submit }, { template, templateVersion, variables }, { ...rest, prd }, actor)
          : orchestrator.runs.submit({ ...rest, prd: prd! }, actor);
      const run = await withHeartbeat(progress, 'planning the PRD', submitted);
      return { run: runSummaryView(run) };
    },
  });

  const listRuns = defineTool({
    name: 'list_runs',
    title: 'List runs',
    group: 'runs',
    description: 'List runs, newest first, with status, progress and cost. Page with `before` = the last id of the previous page.',
    roles: READERS,
    input: z.strictObject({
      status: z.array(z.enum(runStatuses)).max(runStatuses.length).optional(),
      limit: z.number().int().min(1).max(200).default(50),
      before: runId.optional(),
    }),
    output: z.object({ runs: z.array(runSummarySchema), nextCursor: z.string().nullable() }),
    annotations: READ_ONLY,
    async run(args, { principal }) {
      const runs = await orchestrator.runs.list(listRunsInputSchema.parse({ ...args, workspaceId: principal.workspaceId }));
      return { runs: runs.map(runSummaryView), nextCursor: runs.length === args.limit ? runs.at(-1)!.id : null };
    },
  });

  const getRun = defineTool({
    name: 'get_run',
    title: 'Get run',
    group: 'runs',
    description: 'One run: status, the plan DAG (each task with its state and dependsOn), progress, cost and pending approvals.',
    roles: READERS,
    input: z.strictObject({ runId }),
    output: z.object({ run: runDetailSchema }),
    annotations: READ_ONLY,
    async run(args) {
      return { run: runDetailView(await orchestrator.runs.get(args.runId)) };
    },
  });

  const pauseRun = defineTool({
    name: 'pause_run',
    title: 'Pause run',
    group: 'runs',
    description: 'Pause a run: no new task starts until resume_run; running attempts finish.',
    roles: OPERATORS,
    input: z.strictObject({ runId, reason }),
    output: oneRun,
    annotations: IDEMPOTENT_CHANGE,
    async run(args, { actor }) {
      return { run: runSummaryView(await orchestrator.runs.pause(args.runId, args.reason, actor)) };
    },
  });

  const resumeRun = defineTool({
    name: 'resume_run',
    title: 'Resume run',
    group: 'runs',
    description: 'Resume a paused run.',
    roles: OPERATORS,
    input: z.strictObject({ runId, reason: reason.optional() }),
    output: oneRun,
    annotations: IDEMPOTENT_CHANGE,
    async run(args, { actor }) {
      return { run: runSummaryView(await orchestrator.runs.resume(args.runId, args.reason, actor)) };
    },
  });

  const cancelRun = defineTool({
    name: 'cancel_run',
    title: 'Cancel run',
    group: 'runs',
    description: 'Cancel a run for good: running attempts are stopped and nothing more starts.',
    roles: OPERATORS,
    input: z.strictObject({ runId, reason }),
    output: oneRun,
    annotations: DESTRUCTIVE,
    async run(args, { actor }) {
      return { run: runSummaryView(await orchestrator.runs.cancel(args.runId, args.reason, actor)) };
    },
  });

  const replanRun = defineTool({
    name: 'replan_run',
    title: 'Replan run',
    group: 'runs',
    description: 'Plan a run again (from its PRD, or a revised one) and diff against the current plan; over 20% changed waits for approval.',
    roles: OPERATORS,
    input: z.strictObject({ runId, prd: prdSchema.optional().describe('a revised PRD; omitted means the run’s own') }),
    output: z.object({
      replan: z.object({
        version: z.number().int(),
        planHash: z.string(),
        added: z.array(z.string()),
        removed: z.array(z.string()),
        changed: z.array(z.string()),
        changedFraction: z.number(),
        needsApproval: z.boolean(),
        approvalId: z.string().nullable(),
        applied: z.boolean(),
      }),
    }),
    annotations: ADDITIVE,
    async run(args, { actor, progress }) {
      const r = await withHeartbeat(progress, 'replanning', orchestrator.runs.replan(args.runId, { prd: args.prd }, actor));
      return { replan: { version: r.version, planHash: r.planHash, ...r.diff, needsApproval: r.needsApproval, approvalId: r.approvalId, applied: r.applied } };
    },
  });

  return [
    submitPrd,
    listRuns,
    getRun,
    pauseRun,
    resumeRun,
    cancelRun,
    replanRun,
  ];
}
