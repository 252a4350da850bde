// Memory tools: search, read (now, at a version, or as of a time or event), write, history with diffs, delete, list;
// employees propose memory through the employee channel, the Director resolves what the proposal policy held.
import { z } from 'zod';
import type { MemoryCaller } from '../../../core/memory/memory-service';
import type { MemoryEntry } from '../../../core/memory/memory-rows';
import { asOfSchema, memoryKeySchema, memoryScopes, namespaceSchema, searchModes, tagSchema } from '../../../core/memory/memory-schema';
import { AuraError } from '../../../core/domain/errors';
import { DIRECTOR_ONLY, EMPLOYEE_ONLY, OPERATORS, type Principal, READERS } from '../../auth/roles';
import { openAssignmentOf } from '../employee-channel/channel-store';
import { text } from '../input-limits';
import type { McpServices } from '../services';
import { ADDITIVE, defineTool, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { iso } from './views';

const WITH_EMPLOYEES = [...READERS, 'employee'] as const;
const address = { scope: z.enum(memoryScopes), namespace: namespaceSchema.optional().describe('default: you (user), the configured org or project; a run entry names its run here'), key: memoryKeySchema.describe('path-like key, e.g. architecture/database') };

export const memoryEntrySchema = z.object({
  uri: z.string(),
  scope: z.string(),
  namespace: z.string(),
  key: z.string(),
  version: z.number().int(),
  content: z.string(),
  tags: z.array(z.string()),
  author: z.string(),
  authorKind: z.string(),
  runId: z.string().nullable(),
  writtenAt: z.string(),
  expiresAt: z.string().nullable(),
});
const entryView = (e: MemoryEntry) => ({ uri: e.uri, scope: e.scope, namespace: e.namespace, key: e.key, version: e.version, content: e.content, tags: e.tags, author: e.author, authorKind: e.authorKind, runId: e.runId, writtenAt: iso(e.writtenAt)!, expiresAt: iso(e.expiresAt) });

const proposalSchema = z.object({ id: z.string(), uri: z.string(), status: z.string(), employeeId: z.string(), runId: z.string().nullable(), content: z.string(), createdAt: z.string() });

/**
 * The caller as memory's author: the Director and operators write as the director, an employee as itself; always in
 * the token's workspace (docs/tenancy.md).
 */
export function memoryCaller(principal: Principal, actor: string): MemoryCaller {
  return { actor, kind: principal.role === 'employee' ? 'employee' : 'director', workspaceId: principal.workspaceId };
}

export function memoryTools(services: McpServices): ToolDefinition[] {
  const memory = services.memory;
  if (!memory) return [];

  const search = defineTool({
    name: 'memory_search',
    title: 'Search memory',
    group: 'memory',
    description: 'Find memory entries by keyword (full text) or meaning (embeddings; needs an embedding employee), or both (hybrid, the default when one is set); filter by scopes, namespace, key prefix, tags.',
    roles: WITH_EMPLOYEES,
    input: z.strictObject({
      query: text(4000, 1),
      scopes: z.array(z.enum(memoryScopes)).min(1).max(4).optional(),
      namespace: namespaceSchema.optional(),
      keyPrefix: z.string().min(1).max(200).regex(/^[A-Za-z0-9._\-/]+$/).optional(),
      tags: z.array(tagSchema).max(20).optional(),
      mode: z.enum(searchModes).optional(),
      match: z.enum(['all', 'any']).optional().describe('all: every word must match (default for keyword); any: more matching words rank higher'),
      limit: z.number().int().min(1).max(100).optional(),
    }),
    output: z.object({ mode: z.string(), hits: z.array(memoryEntrySchema.extend({ score: z.number(), matchedBy: z.array(z.string()) })), notes: z.array(z.string()) }),
    annotations: READ_ONLY,
    async run(args, { principal }) {
      const result = await memory.search(args, principal.workspaceId);
      return { mode: result.mode, hits: result.hits.map((h) => ({ ...entryView(h), score: h.score, matchedBy: h.matchedBy })), notes: result.notes };
    },
  });

  const get = defineTool({
    name: 'memory_get',
    title: 'Read memory',
    group: 'memory',
    description: 'One memory entry: its current version, a given version, or what it was as of a time ({at}) or an event ({eventId}).',
    roles: WITH_EMPLOYEES,
    input: z.strictObject({ ...address, version: z.number().int().min(1).optional(), asOf: asOfSchema.optional() }),
    output: z.object({ entry: memoryEntrySchema }),
    annotations: READ_ONLY,
    async run(args, { principal, actor }) {
      return { entry: entryView(await memory.get(args, memoryCaller(principal, actor))) };
    },
  });

  const put = defineTool({
    name: 'memory_put',
    title: 'Write memory',
    group: 'memory',
    description: 'Write a memory entry: a new version authored by you (unchanged content writes nothing). expectedVersion makes it a compare-and-set (0: only if new).',
    roles: OPERATORS,
    input: z.strictObject({ ...address, content: text(100_000, 1), tags: z.array(tagSchema).max(20).optional(), expectedVersion: z.number().int().min(0).optional() }),
    output: z.object({ entry: memoryEntrySchema }),
    annotations: ADDITIVE,
    async run(args, { principal, actor }) {
      return { entry: entryView(await memory.put(args, memoryCaller(principal, actor))) };
    },
  });

  const history = defineTool({
    name: 'memory_history',
    title: 'Memory history',
    group: 'memory',
    description: "An entry's versions, newest first (author, run, deletions); with `from`, the unified diff from that version to `to` (default the newest).",
    roles: READERS,
    input: z.strictObject({ ...address, from: z.number().int().min(1).optional(), to: z.number().int().min(1).optional() }),
    output: z.object({
      versions: z.array(z.object({ version: z.number().int(), deleted: z.boolean(), bytes: z.number().int(), tags: z.array(z.string()), author: z.string(), authorKind: z.string(), runId: z.string().nullable(), eventId: z.number().int().nullable(), writtenAt: z.string() })),
      diff: z.object({ from: z.number().int(), to: z.number().int(), patch: z.string() }).nullable(),
    }),
    annotations: READ_ONLY,
    async run(args, { principal, actor }) {
      const caller = memoryCaller(principal, actor);
      const { from, to, ...where } = args;
      const versions = (await memory.history(where, caller)).map((v) => ({ version: v.version, deleted: v.deleted, bytes: v.bytes, tags: v.tags, author: v.author, authorKind: v.authorKind, runId: v.runId, eventId: v.eventId, writtenAt: iso(v.writtenAt)! }));
      if (to !== undefined && from === undefined) throw new AuraError('invalid_input', 'Give `from` with `to`: the diff is from one version to another.');
      return { versions, diff: from === undefined ? null : await memory.diff({ ...where, from, to }, caller) };
    },
  });

  const remove = defineTool({
    name: 'memory_delete',
    title: 'Delete memory',
    group: 'memory',
    description: 'Delete a memory entry (recorded; its history stays readable as of earlier times).',
    roles: DIRECTOR_ONLY,
    input: z.strictObject({ ...address, reason: text(500, 1).optional() }),
    output: z.object({ uri: z.string(), version: z.number().int() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async run(args, { principal, actor }) {
      return memory.delete(args, memoryCaller(principal, actor));
    },
  });

  const list = defineTool({
    name: 'memory_list',
    title: 'List memory',
    group: 'memory',
    description: 'Browse live memory entries by scope, namespace, key prefix and tags (sorted by key).',
    roles: READERS,
    input: z.strictObject({ scope: z.enum(memoryScopes).optional(), namespace: namespaceSchema.optional(), keyPrefix: z.string().min(1).max(200).regex(/^[A-Za-z0-9._\-/]+$/).optional(), tags: z.array(tagSchema).max(20).optional(), limit: z.number().int().min(1).max(1000).optional() }),
    output: z.object({ entries: z.array(memoryEntrySchema) }),
    annotations: READ_ONLY,
    async run(args, { principal }) {
      return { entries: (await memory.list(args, principal.workspaceId)).map(entryView) };
    },
  });

  const propose = defineTool({
    name: 'propose_memory',
    title: 'Propose memory',
    group: 'memory',
    description: 'Propose an entry for run, project or org memory (marked with your current assignment); the proposal policy applies it at once or holds it for the Director.',
    roles: EMPLOYEE_ONLY,
    input: z.strictObject({ ...address, content: text(100_000, 1), tags: z.array(tagSchema).max(20).optional() }),
    output: z.object({ proposalId: z.string(), status: z.string(), version: z.number().int().nullable() }),
    annotations: ADDITIVE,
    async run(args, { principal, services: s }) {
      if (!principal.employeeId) throw new AuraError('forbidden', 'Only an employee token proposes memory.');
      const open = await openAssignmentOf(s.core.store, principal.employeeId);
      const { proposal, version } = await memory.propose(args, { employeeId: principal.employeeId, workspaceId: principal.workspaceId, runId: open?.run_id ?? null, taskId: open?.task_id ?? null });
      return { proposalId: proposal.id, status: proposal.status, version };
    },
  });

  const resolveProposal = defineTool({
    name: 'resolve_memory_proposal',
    title: 'Resolve memory proposal',
    group: 'memory',
    description: "Approve (it is written, authored by the employee) or reject an employee's memory proposal; without a proposalId, lists the pending ones.",
    roles: DIRECTOR_ONLY,
    input: z.strictObject({ proposalId: z.string().regex(/^mprop_[a-z0-9]{10,40}$/).optional().describe('memory proposal id'), approved: z.boolean().optional(), note: text(500, 1).optional() }),
    output: z.object({ pending: z.array(proposalSchema), resolved: proposalSchema.extend({ version: z.number().int().nullable() }).nullable() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async run(args, { principal, actor }) {
      const view = (p: Awaited<ReturnType<typeof memory.proposals>>[number]) => ({ id: p.id, uri: `memory://${p.scope}/${p.namespace}/${p.key}`, status: p.status, employeeId: p.employeeId, runId: p.runId, content: p.content, createdAt: iso(p.createdAt)! });
      if (args.proposalId === undefined) return { pending: (await memory.proposals(principal.workspaceId, 'pending')).map(view), resolved: null };
      if (args.approved === undefined) throw new AuraError('invalid_input', 'Say whether the proposal is approved (approved: true or false).');
      const { proposal, version } = await memory.resolveProposal(args.proposalId, principal.workspaceId, { approved: args.approved, by: actor, note: args.note });
      return { pending: (await memory.proposals(principal.workspaceId, 'pending')).map(view), resolved: { ...view(proposal), version } };
    },
  });

  return [search, get, put, history, remove, list, propose, resolveProposal];
}

