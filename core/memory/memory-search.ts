// Searching memory: PostgreSQL full text (keyword), embeddings (semantic), or both fused by reciprocal rank (hybrid),
// filtered by scope and namespace, key prefix and tags; expired entries never match.
import type { Clock } from '../domain/clock';
import { AuraError, toAuraError } from '../domain/errors';
import type { Queryable } from '../store/store';
import type { EmbeddingProvider } from '../workforce/embedding-provider';
import { type MemoryEntry, type MemoryVersionRow, toEntry } from './memory-rows';
import type { MemoryScope, SearchMode } from './memory-schema';
import { normalise } from './memory-embedding';

export interface SearchArea {
  scope: MemoryScope;
  /** Any namespace of the scope when absent. */
  namespace?: string;
}

export interface MemoryQuery {
  /** The team workspace searched (docs/tenancy.md); nothing of another ever matches. */
  workspaceId: string;
  text: string;
  /** Where to look; everywhere when absent. */
  areas?: SearchArea[];
  keyPrefix?: string;
  tags?: string[];
  mode?: SearchMode;
  match?: 'all' | 'any';
  limit?: number;
}

export interface MemoryHit extends MemoryEntry {
  score: number;
  matchedBy: Array<'keyword' | 'semantic'>;
}

export interface SearchResult {
  mode: SearchMode;
  hits: MemoryHit[];
  /** Why the answer is less than asked for (e.g. the embedding employee could not be reached: keyword only). */
  notes: string[];
}

export interface SearchDeps {
  q: Queryable;
  clock: Clock;
  embedder?: EmbeddingProvider;
}

const COLUMNS = 'e.scope, e.namespace, e.key, e.version, e.content, e.tags, e.author, e.author_kind, e.run_id, e.updated_at AS created_at, e.expires_at';
/** Reciprocal rank fusion's constant: ranks deep in either list still count, the top of each counts most. */
const RRF_K = 60;

interface Filters {
  where: string;
  params: unknown[];
}

function filters(query: MemoryQuery, now: Date, first: number): Filters {
  const params: unknown[] = [];
  /** Adds a parameter and returns its placeholder. */
  const param = (value: unknown) => (params.push(value), `$${first + params.length - 1}`);
  const clauses = [`e.workspace_id = ${param(query.workspaceId)}`, `(e.expires_at IS NULL OR e.expires_at > ${param(now.toISOString())})`];
  if (query.areas?.length) {
    const scopes = param(query.areas.map((a) => a.scope));
    const namespaces = param(query.areas.map((a) => a.namespace ?? null));
    clauses.push(`EXISTS (SELECT 1 FROM unnest(${scopes}::text[], ${namespaces}::text[]) AS a(s, n) WHERE a.s = e.scope AND (a.n IS NULL OR a.n = e.namespace))`);
  }
  if (query.keyPrefix) clauses.push(`e.key LIKE ${param(`${query.keyPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  if (query.tags?.length) clauses.push(`e.tags @> ${param(query.tags)}::text[]`);
  return { where: clauses.join(' AND '), params };
}

async function keyword(deps: SearchDeps, query: MemoryQuery, limit: number): Promise<Array<{ row: MemoryVersionRow; score: number }>> {
  // "all": the words as a search box reads them (quotes, or, -not); "any": every word optional, more matches rank higher.
  const tsquery = query.match === 'any' ? `replace(plainto_tsquery('english', $1)::text, ' & ', ' | ')::tsquery` : `websearch_to_tsquery('english', $1)`;
  const f = filters(query, deps.clock.now(), 3);
  const rows = await deps.q.query<MemoryVersionRow & { score: number }>(
    `SELECT ${COLUMNS}, ts_rank_cd(e.search, q.q, 32) AS score
       FROM aura.memory_entries e, (SELECT ${tsquery} AS q) AS q
      WHERE e.search @@ q.q AND ${f.where}
      ORDER BY score DESC, e.updated_at DESC LIMIT $2`,
    [query.text, limit, ...f.params],
  );
  return rows.rows.map((row) => ({ row, score: Number(row.score) }));
}

async function semantic(deps: SearchDeps, query: MemoryQuery, limit: number): Promise<Array<{ row: MemoryVersionRow; score: number }>> {
  const embedder = deps.embedder!;
  const embedded = await embedder.embed({ texts: [query.text], purpose: 'query' });
  const vector = normalise(embedded.vectors[0]!);
  const f = filters(query, deps.clock.now(), 4);
  // Stored vectors are unit length, so the dot product is the cosine similarity.
  const rows = await deps.q.query<MemoryVersionRow & { score: number }>(
    `SELECT ${COLUMNS}, s.score
       FROM aura.memory_entries e, LATERAL (SELECT sum(a * b) AS score FROM unnest(e.embedding, $1::real[]) AS v(a, b)) AS s
      WHERE e.embedding IS NOT NULL AND e.embedding_model = $2 AND ${f.where}
      ORDER BY s.score DESC, e.updated_at DESC LIMIT $3`,
    [vector, embedder.model, limit, ...f.params],
  );
  return rows.rows.map((row) => ({ row, score: Number(row.score) }));
}

export async function searchMemory(deps: SearchDeps, query: MemoryQuery): Promise<SearchResult> {
  const limit = query.limit ?? 10;
  const mode: SearchMode = query.mode ?? (deps.embedder ? 'hybrid' : 'keyword');
  if (mode !== 'keyword' && !deps.embedder) {
    throw new AuraError('config', `A ${mode} search needs an embedding employee: hire one and name it in AURA_MEMORY_EMBEDDING_EMPLOYEE, or search with mode "keyword".`, { details: { setting: 'AURA_MEMORY_EMBEDDING_EMPLOYEE' } });
  }
  const hit = (row: MemoryVersionRow, score: number, by: MemoryHit['matchedBy']): MemoryHit => ({ ...toEntry(row), score, matchedBy: by });
  if (mode === 'keyword') return { mode, hits: (await keyword(deps, query, limit)).map((r) => hit(r.row, r.score, ['keyword'])), notes: [] };
  if (mode === 'semantic') return { mode, hits: (await semantic(deps, query, limit)).map((r) => hit(r.row, r.score, ['semantic'])), notes: [] };

  const depth = Math.max(limit * 3, 20);
  // Meaning is fuzzy anyway: by default the keyword side of a hybrid search lets any word match.
  const words = await keyword(deps, { ...query, match: query.match ?? 'any' }, depth);
  let meanings: Awaited<ReturnType<typeof semantic>> = [];
  const notes: string[] = [];
  try {
    meanings = await semantic(deps, query, depth);
  } catch (error) {
    // The embedding employee being away must not take keyword search with it: say so and answer by keyword.
    notes.push(`semantic search unavailable (${toAuraError(error).message}); keyword matches only`);
  }
  const fused = new Map<string, { row: MemoryVersionRow; score: number; by: MemoryHit['matchedBy'] }>();
  const add = (list: typeof words, by: 'keyword' | 'semantic') =>
    list.forEach(({ row }, rank) => {
      const id = `${row.scope}/${row.namespace}/${row.key}`;
      const found = fused.get(id) ?? { row, score: 0, by: [] };
      found.score += 1 / (RRF_K + rank + 1);
      found.by.push(by);
      fused.set(id, found);
    });
  add(words, 'keyword');
  add(meanings, 'semantic');
  const hits = [...fused.values()]
    .sort((a, b) => b.score - a.score || new Date(b.row.created_at).getTime() - new Date(a.row.created_at).getTime())
    .slice(0, limit)
    .map((f) => hit(f.row, f.score, f.by));
  return { mode, hits, notes };
}
