// The memory service the shells and the Manager call: validated inputs, default namespaces, versioned writes,
// as-of reads, search, the Manager's contexts, run lessons, proposals, and the background duties (embed, expire).
import type { CoreContext } from '../core-context';
import { AuraError, toAuraError } from '../domain/errors';
import { EVENTS_CHANNEL } from '../events/event-log';
import { parseInput } from '../runs/inputs';
import type { EmbeddingProvider } from '../workforce/embedding-provider';
import type { Assignment, MemoryItem } from '../workforce/worker';
import { contextEvent, type MemoryContext, recordedContext, reuseContext, searchForContext } from './memory-context';
import { embedPending } from './memory-embedding';
import { expireMemory } from './memory-expiry';
import { createRunLessons } from './memory-lessons';
import { createProposals, type Proposal } from './memory-proposals';
import { diffVersions, readAsOf, readCurrent, readHistory, readVersion } from './memory-reads';
import { type MemoryEntry, type MemoryVersionInfo, type MemoryVersionRow, toEntry } from './memory-rows';
import * as schema from './memory-schema';
import { type MemoryQuery, type SearchResult, searchMemory } from './memory-search';
import { memorySettings, type MemorySettings } from './memory-settings';
import { deleteEntry, type MemoryAuthor, writeVersion } from './memory-writes';
import { DEFAULT_WORKSPACE } from '../tenancy/workspace';
import { workspaceOf } from '../tenancy/workspace-filter';

/**
 * Who is asking: the author of what they write; their actor also names the "user" scope they mean by default, and
 * their team workspace (docs/tenancy.md) is the only one whose memory they read or write.
 */
export interface MemoryCaller extends MemoryAuthor {
  workspaceId: string;
}

export interface MemoryServiceOptions {
  /** The embedding employee's model; without one, search is keyword only. */
  embedder?: EmbeddingProvider;
  settings?: MemorySettings;
  /** How often the background loop embeds and expires without being woken (default 5 s). */
  pollMs?: number;
}

export interface MemoryService {
  readonly settings: MemorySettings;
  readonly semantic: boolean;
  put(input: schema.PutInput, caller: MemoryCaller): Promise<MemoryEntry>;
  get(input: schema.GetInput, caller: MemoryCaller): Promise<MemoryEntry>;
  history(input: schema.AddressInput, caller: MemoryCaller): Promise<MemoryVersionInfo[]>;
  diff(input: schema.DiffInput, caller: MemoryCaller): Promise<{ from: number; to: number; patch: string }>;
  delete(input: schema.DeleteInput, caller: MemoryCaller): Promise<{ uri: string; version: number }>;
  /** The live entries of one workspace. */
  list(input: schema.ListInput, workspaceId: string): Promise<MemoryEntry[]>;
  /** Searches one workspace's memory. */
  search(input: schema.SearchInput, workspaceId: string): Promise<SearchResult>;
  /** The planner's context for a PRD, from the run's workspace; the caller records `event(runId)` with the run it creates. */
  forPlan(request: { prd: string; title?: string; user: string; workspaceId: string }): Promise<MemoryContext & { event(runId: string): ReturnType<typeof contextEvent> }>;
  /** An employee's context for an attempt, from its run's workspace, recorded; a resumed attempt gets the versions it was given before. */
  forAssignment(a: Assignment): Promise<MemoryItem[]>;
  /** An employee's proposal, in the employee's workspace. */
  propose(input: schema.PutInput, employee: { employeeId: string; workspaceId: string; runId: string | null; taskId: string | null }): Promise<{ proposal: Proposal; version: number | null }>;
  resolveProposal(proposalId: string, workspaceId: string, decision: { approved: boolean; by: string; note?: string }): Promise<{ proposal: Proposal; version: number | null }>;
  proposals(workspaceId: string, status?: Proposal['status']): Promise<Proposal[]>;
  embedPending(): Promise<number>;
  expire(): Promise<number>;
  /** Writes the lessons of settled runs not yet written (the background loop does this on its own). */
  drainLessons(): Promise<number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createMemoryService(core: CoreContext, options: MemoryServiceOptions = {}): MemoryService {
  const { store, events, clock } = core;
  const logger = core.logger.child({ component: 'memory' });
  const settings = options.settings ?? memorySettings(core.config);
  const embedder = options.embedder;
  const writeDeps = { events, clock, settings };

  const resolve = (input: schema.AddressInput, caller: Pick<MemoryCaller, 'actor' | 'workspaceId'>): schema.WorkspaceAddress => {
    const namespace = input.namespace ?? (input.scope === 'user' ? schema.userNamespaceOf(caller.actor) : input.scope === 'org' ? settings.org : input.scope === 'project' ? settings.project : undefined);
    if (!namespace) throw new AuraError('invalid_input', 'A run memory entry names its run: set namespace to the run id.');
    return { workspaceId: caller.workspaceId, scope: input.scope, namespace, key: input.key };
  };
  const search = (query: MemoryQuery) => searchMemory({ q: store, clock, embedder }, query);

  const put = async (input: schema.PutInput, caller: MemoryCaller) => {
    const p = parseInput(schema.putInputSchema, input, 'memory entry');
    const address = resolve(p, caller);
    const { row } = await store.transaction((tx) => writeVersion(tx, writeDeps, { address, content: p.content, tags: p.tags ?? [], runId: p.runId ?? (address.scope === 'run' ? address.namespace : null), expectedVersion: p.expectedVersion }, caller));
    wake();
    return toEntry(row);
  };

  const proposals = createProposals({
    store,
    events,
    clock,
    policy: settings.proposals,
    writeIn: async (tx, request, author) => ({ version: Number((await writeVersion(tx, writeDeps, request, author)).row.version) }),
  });
  const lessons = createRunLessons({
    store,
    events,
    logger,
    project: settings.project,
    write: (request, author) => store.transaction((tx) => writeVersion(tx, writeDeps, request, author)),
  });

  // Background duties: embed what waits, sweep what expired. Woken by appends to the memory stream, polled as a fallback.
  let timer: NodeJS.Timeout | null = null;
  let unlisten: (() => Promise<void>) | null = null;
  let busy: Promise<void> | null = null;
  let again = false;
  const stopping = new AbortController();
  const duties = async () => {
    await expireMemory({ store, events, clock });
    if (embedder) await embedPending({ store, events, embedder, logger }, stopping.signal);
  };
  function wake(): void {
    if (!timer) return;
    if (busy) return void (again = true);
    busy = (async () => {
      do {
        again = false;
        // The embedding employee being away only delays semantic search; keyword search needs nothing of it.
        await duties().catch((error: unknown) => logger.warn({ err: toAuraError(error).message }, 'memory duties failed; trying again later'));
      } while (again && !stopping.signal.aborted);
    })().finally(() => (busy = null));
  }

  return {
    settings,
    semantic: Boolean(embedder),
    put,
    async get(input, caller) {
      const p = parseInput(schema.getInputSchema, input, 'memory read');
      const address = resolve(p, caller);
      if (p.version !== undefined) return readVersion(store, address, p.version);
      if (p.asOf) return readAsOf(store, address, p.asOf);
      return readCurrent(store, clock, address);
    },
    async history(input, caller) {
      return readHistory(store, resolve(parseInput(schema.addressSchema, input, 'memory address'), caller));
    },
    async diff(input, caller) {
      const p = parseInput(schema.diffInputSchema, input, 'memory diff');
      return diffVersions(store, resolve(p, caller), p.from, p.to);
    },
    async delete(input, caller) {
      const p = parseInput(schema.deleteInputSchema, input, 'memory deletion');
      const address = resolve(p, caller);
      const version = await store.transaction((tx) => deleteEntry(tx, writeDeps, address, p.reason ?? null, caller));
      return { uri: schema.memoryUri(address), version };
    },
    async list(input, workspaceId) {
      const p = parseInput(schema.listInputSchema, input ?? {}, 'memory listing');
      const params: unknown[] = [clock.now().toISOString(), workspaceId];
      const where = ['workspace_id = $2', '(expires_at IS NULL OR expires_at > $1)'];
      if (p.scope) where.push(`scope = $${params.push(p.scope)}`);
      if (p.namespace) where.push(`namespace = $${params.push(p.namespace)}`);
      if (p.keyPrefix) where.push(`key LIKE $${params.push(`${p.keyPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
      if (p.tags?.length) where.push(`tags @> $${params.push(p.tags)}::text[]`);
      const rows = await store.query<MemoryVersionRow>(
        `SELECT scope, namespace, key, version, content, tags, author, author_kind, run_id, updated_at AS created_at, expires_at
           FROM aura.memory_entries WHERE ${where.join(' AND ')} ORDER BY scope, namespace, key LIMIT $${params.push(p.limit ?? 200)}`,
        params,
      );
      return rows.rows.map(toEntry);
    },
    async search(input, workspaceId) {
      const p = parseInput(schema.searchInputSchema, input, 'memory search');
      return search({ workspaceId, text: p.query, areas: p.scopes?.map((scope) => ({ scope, namespace: p.namespace })), keyPrefix: p.keyPrefix, tags: p.tags, mode: p.mode, match: p.match, limit: p.limit });
    },
    async forPlan({ prd, title, user, workspaceId }) {
      const text = `${title ?? ''}\n${prd}`.slice(0, 4000);
      const areas = [{ scope: 'user' as const, namespace: schema.userNamespaceOf(user) }, { scope: 'org' as const, namespace: settings.org }, { scope: 'project' as const, namespace: settings.project }];
      const context = await searchForContext(search, { workspaceId, text, areas, match: 'any', limit: 20 }, settings.contextTokens, logger);
      return { ...context, event: (runId: string) => contextEvent(context, { runId, purpose: 'plan' }) };
    },
    async forAssignment(a) {
      // The run's own workspace's memory (docs/tenancy.md).
      const workspaceId = (await workspaceOf(store, 'run', a.runId)) ?? DEFAULT_WORKSPACE;
      const before = await recordedContext(store, a.runId, a.taskId, a.attempt);
      let context: MemoryContext;
      if (before) context = await reuseContext(store, workspaceId, before, logger);
      else {
        const t = a.task;
        const text = [t.title, t.description, ...t.acceptance.criteria].filter(Boolean).join('\n').slice(0, 4000);
        const areas = [{ scope: 'org' as const, namespace: settings.org }, { scope: 'project' as const, namespace: settings.project }, { scope: 'run' as const, namespace: a.runId }];
        context = await searchForContext(search, { workspaceId, text, areas, match: 'any', limit: 20 }, settings.contextTokens, logger);
      }
      await events.append(contextEvent(context, { runId: a.runId, taskId: a.taskId, attempt: a.attempt, purpose: 'task', reusedFrom: before?.eventId }));
      return context.items;
    },
    async propose(input, employee) {
      const p = parseInput(schema.putInputSchema, input, 'memory proposal');
      const address = resolve(p, { actor: `employee:${employee.employeeId}`, workspaceId: employee.workspaceId });
      const result = await proposals.propose({ address, content: p.content, tags: p.tags ?? [], employeeId: employee.employeeId, runId: p.runId ?? employee.runId, taskId: employee.taskId });
      wake();
      return result;
    },
    resolveProposal: (id, workspaceId, decision) => proposals.resolve(id, workspaceId, decision),
    proposals: (workspaceId, status) => proposals.list(workspaceId, status),
    embedPending: () => (embedder ? embedPending({ store, events, embedder, logger }) : Promise.resolve(0)),
    expire: () => expireMemory({ store, events, clock }),
    drainLessons: () => lessons.drain(),
    async start() {
      timer = setInterval(wake, options.pollMs ?? 5_000);
      timer.unref();
      unlisten = await store.listen(EVENTS_CHANNEL, (stream) => stream === 'memory' && wake());
      await lessons.start();
      wake();
    },
    async stop() {
      stopping.abort();
      if (timer) clearInterval(timer);
      timer = null;
      await unlisten?.();
      await lessons.stop();
      await busy;
    },
  };
}
