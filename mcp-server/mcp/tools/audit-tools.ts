// Audit tools: query the event log (filtered, paged) and verify its hash chains.
import { z } from 'zod';
import { AuraError } from '../../../core/domain/errors';
import { type EventType, isEventType } from '../../../core/events/catalog';
import type { StoredEvent } from '../../../core/events/stored-event';
import { verifyChain } from '../../../core/events/verify-chain';
import { runIdSchema, taskIdSchema } from '../../../core/orchestrator';
import { READERS } from '../../auth/roles';
import { limit } from '../input-limits';
import { withHeartbeat } from '../progress';
import type { McpServices } from '../services';
import { defineTool, READ_ONLY, type ToolDefinition } from '../tool-definition';

const eventSchema = z.object({
  id: z.number().int(),
  stream: z.string(),
  seq: z.number().int(),
  type: z.string(),
  runId: z.string().nullable(),
  taskId: z.string().nullable(),
  actor: z.string(),
  payload: z.unknown(),
  occurredAt: z.string(),
  hash: z.string(),
});

export function eventView(e: StoredEvent): z.infer<typeof eventSchema> {
  return { id: e.id, stream: e.stream, seq: e.seq, type: e.type, runId: e.runId, taskId: e.taskId, actor: e.actor, payload: e.payload, occurredAt: e.occurredAt.toISOString(), hash: e.hash };
}

const isoTime = z.iso.datetime({ offset: true });

/** An empty page for a run or task that never existed would read as "nothing happened": say it is unknown instead. */
async function assertKnown(services: McpServices, runId: string | undefined, taskId: string | undefined): Promise<void> {
  if (runId && (await services.core.events.query({ runId, limit: 1 })).length === 0) throw new AuraError('not_found', `No run with id "${runId}".`);
  if (taskId && (await services.core.events.query({ taskId, limit: 1 })).length === 0) throw new AuraError('not_found', `No task with id "${taskId}".`);
}

export const queryEvents = defineTool({
  name: 'query_events',
  title: 'Query events',
  group: 'audit',
  description: 'Read the audit event log, oldest first, filtered by run, task, types and time. Page with `after` = the previous nextCursor.',
  roles: READERS,
  input: z.strictObject({
    runId: runIdSchema.describe('run id').optional(),
    taskId: taskIdSchema.describe('task id').optional(),
    types: z
      .array(z.string().refine((t) => isEventType(t), { error: (i) => `unknown event type ${JSON.stringify(i.input).slice(0, 60)}; types are named like RunStarted, TaskFailed, ApprovalRequested` }))
      .max(50)
      .optional()
      .describe('event type names, e.g. ["TaskFailed","TaskSucceeded"]'),
    since: isoTime.optional().describe('ISO time, inclusive'),
    until: isoTime.optional().describe('ISO time, exclusive'),
    after: z.number().int().min(0).optional().describe('cursor: events with a larger id'),
    limit: limit(500, 100),
  }),
  output: z.object({ events: z.array(eventSchema), nextCursor: z.number().int().nullable() }),
  annotations: READ_ONLY,
  async run(args, { services, principal }) {
    const events = await services.core.events.query({
      workspaceId: principal.workspaceId,
      runId: args.runId,
      taskId: args.taskId,
      types: args.types as EventType[] | undefined,
      since: args.since ? new Date(args.since) : undefined,
      until: args.until ? new Date(args.until) : undefined,
      afterId: args.after,
      limit: args.limit,
    });
    if (events.length === 0) await assertKnown(services, args.runId, args.taskId);
    return { events: events.map(eventView), nextCursor: events.length === args.limit ? events.at(-1)!.id : null };
  },
});

export const verifyAudit = defineTool({
  name: 'verify_audit',
  title: 'Verify audit log',
  group: 'audit',
  description: "Verify the tamper-evident event log (hash chains and signatures), whole or one run's. Reports the first bad event of each chain.",
  roles: READERS,
  input: z.strictObject({ runId: runIdSchema.describe('run id').optional() }),
  output: z.object({
    ok: z.boolean(),
    streams: z.number().int(),
    events: z.number().int(),
    problems: z.array(z.object({ kind: z.string(), stream: z.string(), seq: z.number().int(), id: z.number().int().nullable(), message: z.string() })),
  }),
  annotations: READ_ONLY,
  async run(args, { services, progress }) {
    const { store, signer } = services.core;
    const report = await withHeartbeat(progress, 'verifying the event chains', verifyChain(store, signer, { stream: args.runId }));
    if (args.runId && report.events === 0 && report.problems.length === 0) throw new AuraError('not_found', `No events recorded for run "${args.runId}".`);
    return report;
  },
});

const getEvidence = defineTool({
  name: 'get_evidence',
  title: 'Get evidence',
  group: 'audit',
  description: "Read one evidence bundle by hash (checked: intact = hash and signature hold), or list a task's or run's bundles.",
  roles: READERS,
  input: z
    .strictObject({
      hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected an evidence hash (64 hex characters)').optional(),
      runId: runIdSchema.describe('run id').optional(),
      taskId: taskIdSchema.describe('task id').optional(),
    })
    .refine((a) => (a.hash === undefined) !== (a.runId === undefined && a.taskId === undefined), 'give either hash, or runId/taskId to list'),
  output: z.object({
    evidence: z
      .object({ hash: z.string(), kind: z.string(), runId: z.string().nullable(), taskId: z.string().nullable(), attempt: z.number().int().nullable(), employeeId: z.string().nullable(), createdAt: z.string(), intact: z.boolean(), content: z.unknown() })
      .nullable(),
    list: z.array(z.object({ hash: z.string(), kind: z.string(), taskId: z.string().nullable(), attempt: z.number().int().nullable(), createdAt: z.string() })),
  }),
  annotations: READ_ONLY,
  async run(args, { services }) {
    const evidence = services.governance!.evidence;
    if (args.hash) {
      const e = await evidence.get(args.hash);
      return { evidence: { hash: e.hash, kind: e.kind, runId: e.runId, taskId: e.taskId, attempt: e.attempt, employeeId: e.employeeId, createdAt: new Date(e.createdAt).toISOString(), intact: e.intact, content: e.body.content }, list: [] };
    }
    let runId = args.runId;
    if (args.taskId) {
      const task = await services.orchestrator!.tasks.get(args.taskId);
      if (runId && runId !== task.runId) throw new AuraError('invalid_input', `Task ${args.taskId} belongs to run ${task.runId}, not ${runId}.`);
      runId = task.runId;
    } else {
      await services.orchestrator!.runs.get(runId!);
    }
    const list = await evidence.list({ runId: runId!, taskId: args.taskId });
    return { evidence: null, list: list.map((e) => ({ hash: e.hash, kind: e.kind, taskId: e.taskId, attempt: e.attempt, createdAt: new Date(e.createdAt).toISOString() })) };
  },
});

export function auditTools(services: McpServices): ToolDefinition[] {
  return services.governance && services.orchestrator ? [queryEvents, getEvidence, verifyAudit] : [queryEvents, verifyAudit];
}
