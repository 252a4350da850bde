// Audit tools: query the event log (filtered, paged) and verify its hash chains.
import { z } from 'zod';
import { AuraError } from '../../../core/domain/errors';
import { type EventType, isEventType } from '../../../core/events/catalog';
import type { StoredEvent } from '../../../core/events/stored-event';
import { verifyChain } from '../../../core/events/verify-chain';
import { READERS } from '../../auth/roles';
import { id, limit } from '../input-limits';
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
    runId: id('run').optional(),
    taskId: id('task').optional(),
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
  async run(args, { services }) {
    const events = await services.core.events.query({
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
  input: z.strictObject({ runId: id('run').optional() }),
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

export function auditTools(_services: McpServices): ToolDefinition[] {
  return [queryEvents, verifyAudit];
}
