// Task tools: list and read tasks (with their evidence), retry (optionally edited), skip, and the dead-letter queue.
import { z } from 'zod';
import { listTasksInputSchema, runIdSchema, taskEditsSchema, taskIdSchema } from '../../../core/orchestrator';
import { taskStatuses } from '../../../core/queue/task-status';
import { DIRECTOR_ONLY, OPERATORS, READERS } from '../../auth/roles';
import { reason } from '../input-limits';
import type { McpServices } from '../services';
import { defineTool, DESTRUCTIVE, IDEMPOTENT_CHANGE, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { taskDetailSchema, taskDetailView, taskSummarySchema, taskSummaryView } from './views';

const runId = runIdSchema.describe('run id');
const taskId = taskIdSchema.describe('task id');
const oneTask = z.object({ task: taskDetailSchema });
const oneSummary = z.object({ task: taskSummarySchema });

export function tasksTools(services: McpServices): ToolDefinition[] {
  const orchestrator = services.orchestrator;
  if (!orchestrator) return [];

  /** A task with the evidence the Auditor recorded for it (none when governance is absent). */
  const detail = async (id: string) => {
    const task = await orchestrator.tasks.get(id);
    const evidence = services.governance ? await services.governance.evidence.list({ runId: task.runId, taskId: task.id }) : [];
    return taskDetailView(task, evidence);
  };

  const listTasks = defineTool({
    name: 'list_tasks',
    title: 'List tasks',
    group: 'tasks',
    description: 'List tasks in queue order, by run and status. Page with `afterSeq` = the nextCursor of the previous page.',
    roles: READERS,
    input: z.strictObject({
      runId: runId.optional(),
      status: z.array(z.enum(taskStatuses)).max(taskStatuses.length).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      afterSeq: z.number().int().nonnegative().optional(),
    }),
    output: z.object({ tasks: z.array(taskSummarySchema), nextCursor: z.number().int().nullable() }),
    annotations: READ_ONLY,
    async run(args, { principal }) {
      if (args.runId) await orchestrator.runs.get(args.runId); // an unknown run is an error, not an empty page
      const tasks = await orchestrator.tasks.list(listTasksInputSchema.parse({ ...args, workspaceId: principal.workspaceId }));
      return { tasks: tasks.map(taskSummaryView), nextCursor: tasks.length === args.limit ? tasks.at(-1)!.seq : null };
    },
  });

  const getTask = defineTool({
    name: 'get_task',
    title: 'Get task',
    group: 'tasks',
    description: 'One task: spec, acceptance, state, attempts, result, pending approval and an evidence summary.',
    roles: READERS,
    input: z.strictObject({ taskId }),
    output: oneTask,
    annotations: READ_ONLY,
    async run(args) {
      return { task: await detail(args.taskId) };
    },
  });

  const retryTask = defineTool({
    name: 'retry_task',
    title: 'Retry task',
    group: 'tasks',
    description: 'Queue a dead-lettered or failed task again with fresh attempts, optionally with edits to its spec.',
    roles: OPERATORS,
    input: z.strictObject({ taskId, edits: taskEditsSchema.optional() }),
    output: oneSummary,
    annotations: IDEMPOTENT_CHANGE,
    async run(args, { actor }) {
      return { task: taskSummaryView(await orchestrator.tasks.retry(args.taskId, args.edits ? { edits: args.edits } : {}, actor)) };
    },
  });

  const skipTask = defineTool({
    name: 'skip_task',
    title: 'Skip task',
    group: 'tasks',
    description: 'Skip a task: it counts as done, so the tasks that depend on it may start.',
    roles: DIRECTOR_ONLY,
    input: z.strictObject({ taskId, reason }),
    output: oneSummary,
    annotations: DESTRUCTIVE,
    async run(args, { actor }) {
      return { task: taskSummaryView(await orchestrator.tasks.skip(args.taskId, args.reason, actor)) };
    },
  });

  const listDeadLetters = defineTool({
    name: 'list_dead_letters',
    title: 'List dead letters',
    group: 'tasks',
    description: 'Tasks that used up their attempts and wait for the Director: retry_task, skip_task, or cancel_run.',
    roles: READERS,
    input: z.strictObject({ runId: runId.optional() }),
    output: z.object({ tasks: z.array(taskSummarySchema) }),
    annotations: READ_ONLY,
    async run(args, { principal }) {
      if (args.runId) await orchestrator.runs.get(args.runId);
      return { tasks: (await orchestrator.tasks.deadLetters({ runId: args.runId, workspaceId: principal.workspaceId })).map(taskSummaryView) };
    },
  });

  return [listTasks, getTask, retryTask, skipTask, listDeadLetters];
}
