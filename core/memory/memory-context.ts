// The Manager's memory context: the most relevant entries for a planner or an employee, within a token budget it
// reports, recorded (MemoryContextUsed) so a resumed attempt, or a replay, is given the very same versions.
import type { AuraError } from '../domain/errors';
import { toAuraError } from '../domain/errors';
import type { NewEvent } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { Queryable } from '../store/store';
import type { MemoryItem } from '../workforce/worker';
import { readVersion } from './memory-reads';
import type { MemoryHit, MemoryQuery, SearchResult } from './memory-search';
import { estimateTokens } from './memory-settings';

export interface MemoryContext {
  items: MemoryItem[];
  budgetTokens: number;
  usedTokens: number;
  leftOut: number;
  /** The Markdown section a prompt carries ('' when nothing was chosen). */
  section: string;
}

/** The header an item carries in a prompt counts against the budget too. */
const header = (item: Pick<MemoryItem, 'uri' | 'version'>) => `### ${item.uri} (v${item.version})\n`;

/** Takes hits in rank order while they fit; an entry larger than what is left is left out, never cut. */
export function withinBudget(hits: readonly MemoryHit[], budgetTokens: number): MemoryContext {
  const items: MemoryItem[] = [];
  let used = 0;
  let leftOut = 0;
  for (const hit of hits) {
    const item: MemoryItem = { uri: hit.uri, scope: hit.scope, namespace: hit.namespace, key: hit.key, version: hit.version, content: hit.content, tokens: 0, score: hit.score };
    item.tokens = estimateTokens(header(item) + item.content);
    if (used + item.tokens > budgetTokens) {
      leftOut++;
      continue;
    }
    items.push(item);
    used += item.tokens;
  }
  return { items, budgetTokens, usedTokens: used, leftOut, section: renderSection(items, used, budgetTokens) };
}

export function renderSection(items: readonly MemoryItem[], used: number, budget: number): string {
  if (items.length === 0) return '';
  const parts = [`## From memory (${items.length} ${items.length === 1 ? 'entry' : 'entries'}, ${used} of ${budget} tokens)`];
  for (const item of items) parts.push(`${header(item)}${item.content.trim()}`);
  return parts.join('\n\n');
}

export function contextEvent(context: MemoryContext, where: { runId: string; taskId?: string; attempt?: number; purpose: 'plan' | 'task'; reusedFrom?: number }): NewEvent {
  return {
    type: 'MemoryContextUsed',
    runId: where.runId,
    taskId: where.taskId ?? null,
    actor: 'manager',
    payload: {
      purpose: where.purpose,
      attempt: where.attempt,
      budgetTokens: context.budgetTokens,
      usedTokens: context.usedTokens,
      leftOut: context.leftOut,
      entries: context.items.map((i) => ({ scope: i.scope, namespace: i.namespace, key: i.key, version: i.version, tokens: i.tokens, score: i.score })),
      reusedFrom: where.reusedFrom,
    },
  };
}

interface UsedEntries {
  eventId: number;
  budgetTokens: number;
  entries: Array<{ scope: MemoryItem['scope']; namespace: string; key: string; version: number; score: number }>;
}

/** The context an attempt was given before (same run, task and attempt), if it was recorded. */
export async function recordedContext(q: Queryable, runId: string, taskId: string, attempt: number): Promise<UsedEntries | null> {
  const row = (
    await q.query<{ id: number; payload: { budgetTokens: number; entries: UsedEntries['entries']; attempt?: number } }>(
      `SELECT id, payload FROM aura.events WHERE stream = $1 AND task_id = $2 AND type = 'MemoryContextUsed' AND (payload->>'attempt')::int = $3 ORDER BY id LIMIT 1`,
      [runId, taskId, attempt],
    )
  ).rows[0];
  return row ? { eventId: Number(row.id), budgetTokens: row.payload.budgetTokens, entries: row.payload.entries } : null;
}

/** The recorded versions again (of the run's workspace), in their order; a version gone since (expired) is left out and logged. */
export async function reuseContext(q: Queryable, workspaceId: string, used: UsedEntries, logger: Logger): Promise<MemoryContext> {
  const hits: MemoryHit[] = [];
  for (const e of used.entries) {
    try {
      const entry = await readVersion(q, { workspaceId, scope: e.scope, namespace: e.namespace, key: e.key }, e.version);
      hits.push({ ...entry, score: e.score, matchedBy: [] });
    } catch (error) {
      logger.warn({ key: e.key, version: e.version, err: (toAuraError(error) as AuraError).message }, 'a memory version given to this attempt before is gone; left out');
    }
  }
  // The budget was met when these were chosen; taking them all again must not drop one because estimates moved.
  return withinBudget(hits, Math.max(used.budgetTokens, hits.reduce((n, h) => n + estimateTokens(header(h) + h.content), 0)));
}

/** Runs a search for a context; a failure leaves the context empty (work goes on without memory) and is logged. */
export async function searchForContext(search: (q: MemoryQuery) => Promise<SearchResult>, query: MemoryQuery, budget: number, logger: Logger): Promise<MemoryContext> {
  if (budget <= 0) return withinBudget([], 0);
  try {
    const result = await search(query);
    return withinBudget(result.hits, budget);
  } catch (error) {
    logger.warn({ err: toAuraError(error).message }, 'memory could not be searched for a context; going on without it');
    return withinBudget([], budget);
  }
}
