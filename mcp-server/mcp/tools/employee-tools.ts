// The employee channel, for an external agent registered as an employee: fetch the task the Manager assigned to it
// (it cannot pick one), report progress, submit the result. Each call acts only on the token's own employee.
import { z } from 'zod';
import { AuraError } from '../../../core/domain/errors';
import { taskIdSchema } from '../../../core/orchestrator';
import { chatServiceOf } from '../chat-service-of';
import { EMPLOYEE_ONLY } from '../../auth/roles';
import { lockOpenAssignment, markWorking, openAssignmentOf, submitAssignment } from '../employee-channel/channel-store';
import { submittedResultSchema } from '../employee-channel/channel-worker';
import { text } from '../input-limits';
import type { McpServices } from '../services';
import { ADDITIVE, defineTool, type ToolContext, type ToolDefinition } from '../tool-definition';
import { chatQuestionView } from './chat-tools';

const taskId = taskIdSchema.describe('task id');

function employeeOf(ctx: ToolContext): string {
  if (!ctx.principal.employeeId) throw new AuraError('forbidden', 'Only an employee token has an assignment.');
  return ctx.principal.employeeId;
}

const noOpenAssignment = (id: string) =>
  new AuraError('not_found', `You have no open assignment for task ${id} (it may have timed out, been stopped or reassigned). Call get_assignment.`);

export function employeeTools(services: McpServices): ToolDefinition[] {
  const orchestrator = services.orchestrator;
  if (!orchestrator) return [];
  const { store } = services.core;
  const chat = () => chatServiceOf(services, orchestrator);

  const getAssignment = defineTool({
    name: 'get_assignment',
    title: 'Get assignment',
    group: 'employee',
    description: 'The task the Manager assigned to you (null when none): spec, acceptance, context, deadline, and the folder to work in.',
    roles: EMPLOYEE_ONLY,
    input: z.strictObject({}),
    output: z.object({
      assignment: z
        .object({
          runId: z.string(),
          taskId: z.string(),
          attempt: z.number().int(),
          idempotencyKey: z.string(),
          task: z.record(z.string(), z.unknown()).describe('title, kind, description, acceptance {criteria, commands}, scope, skills, timeoutMs'),
          context: z.record(z.string(), z.unknown()).describe('runTitle and finished dependencies'),
          deadline: z.string(),
          workdir: z.string().nullable().describe("this attempt's worktree on the orchestrator's host"),
        })
        .nullable(),
      questions: z.array(chatQuestionView).describe('your questions on this task (ask_manager), newest first, with their answers'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run(_args, ctx) {
      const employeeId = employeeOf(ctx);
      const row = await openAssignmentOf(store, employeeId);
      return { assignment: row ? (row.assignment as never) : null, questions: row ? await chat().questionsOf(row.task_id, employeeId) : [] };
    },
  });

  const reportProgress = defineTool({
    name: 'report_progress',
    title: 'Report progress',
    group: 'employee',
    description: 'Record a progress note on your assigned task (the Director sees it in the run).',
    roles: EMPLOYEE_ONLY,
    input: z.strictObject({ taskId, note: text(2000, 1), percent: z.number().min(0).max(100).optional() }),
    output: z.object({ taskId: z.string(), attempt: z.number().int(), deadline: z.string() }),
    annotations: ADDITIVE,
    async run(args, ctx) {
      const employeeId = employeeOf(ctx);
      return store.transaction(async (tx) => {
        const row = await lockOpenAssignment(tx, employeeId, args.taskId);
        if (!row) throw noOpenAssignment(args.taskId);
        await markWorking(tx, row.idempotency_key);
        const note = args.percent === undefined ? args.note : `[${Math.round(args.percent)}%] ${args.note}`;
        await services.core.events.appendIn(tx, [{ type: 'TaskProgress', actor: ctx.actor, runId: row.run_id, taskId: row.task_id, payload: { attempt: row.attempt, note: note.slice(0, 2000) } }]);
        return { taskId: row.task_id, attempt: row.attempt, deadline: new Date(row.deadline).toISOString() };
      });
    },
  });

  const submitResult = defineTool({
    name: 'submit_result',
    title: 'Submit result',
    group: 'employee',
    description: 'Hand in your assigned task. The Auditor then verifies it (its own checks, not your claim) before it counts.',
    roles: EMPLOYEE_ONLY,
    input: z.strictObject({
      taskId,
      status: z.enum(['succeeded', 'failed']),
      summary: text(20_000, 1),
      output: z.unknown().optional().describe('structured output, if the task asks for one'),
      claimsChecksPassed: z.boolean().optional(),
      tokensIn: z.number().int().min(0).max(1e9).optional(),
      tokensOut: z.number().int().min(0).max(1e9).optional(),
      costUsd: z.number().min(0).max(1e6).optional(),
    }),
    output: z.object({ taskId: z.string(), attempt: z.number().int(), accepted: z.boolean() }),
    annotations: ADDITIVE,
    async run(args, ctx) {
      const employeeId = employeeOf(ctx);
      const employee = await services.employees.get(employeeId);
      return store.transaction(async (tx) => {
        const row = await lockOpenAssignment(tx, employeeId, args.taskId);
        if (!row) throw noOpenAssignment(args.taskId);
        const result = submittedResultSchema.parse({
          status: args.status,
          summary: args.summary,
          output: args.output,
          claimsChecksPassed: args.claimsChecksPassed,
          telemetry: { tokensIn: args.tokensIn ?? 0, tokensOut: args.tokensOut ?? 0, latencyMs: 0, costUsd: args.costUsd ?? 0, model: employee.profile.model },
        });
        await submitAssignment(tx, row.idempotency_key, result);
        return { taskId: row.task_id, attempt: row.attempt, accepted: true };
      });
    },
  });

  const askManager = defineTool({
    name: 'ask_manager',
    title: 'Ask the Manager',
    group: 'employee',
    description:
      "Ask the Manager a question about your assigned task. It answers at once from its planner model or memory when it can; otherwise the question waits for the Director (status 'open') and the answer appears in get_assignment's questions.",
    roles: EMPLOYEE_ONLY,
    input: z.strictObject({ taskId, question: text(4000, 1) }),
    output: z.object({ question: chatQuestionView }),
    annotations: { ...ADDITIVE, openWorldHint: services.plannerModel !== undefined },
    async run(args, ctx) {
      const employeeId = employeeOf(ctx);
      // A plain read (its own statement): the question is recorded later, and the model is not asked under a lock.
      const row = await lockOpenAssignment(store, employeeId, args.taskId);
      if (!row) throw noOpenAssignment(args.taskId);
      const question = await chat().ask({ runId: row.run_id, taskId: row.task_id, employeeId, attempt: row.attempt, question: args.question }, { actor: ctx.actor }, ctx.signal);
      return { question };
    },
  });

  return [getAssignment, reportProgress, submitResult, askManager];
}
