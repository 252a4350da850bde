// Embedding memory: entries whose current version has no embedding yet are embedded in batches by the embedding
// employee, stored unit length (so search ranks by dot product), and recorded as a MemoryEmbedded event.
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import type { EmbeddingProvider } from '../workforce/embedding-provider';
import { MEMORY_STREAM } from './memory-writes';

/** Enough of an entry to carry its meaning; long documents are embedded by their opening. */
const MAX_EMBEDDED_CHARS = 8_000;
const BATCH = 32;

export function normalise(vector: readonly number[]): number[] {
  const length = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return length === 0 ? vector.map(() => 0) : vector.map((x) => x / length);
}

/** The text an entry is embedded from: its key's words, then its content. */
export const embeddingText = (key: string, content: string) => `${key.replace(/[/._-]+/g, ' ')}\n\n${content}`.slice(0, MAX_EMBEDDED_CHARS);

export interface EmbedDeps {
  store: Store;
  events: EventLog;
  embedder: EmbeddingProvider;
  logger: Logger;
}

/** Embeds every entry still waiting (or embedded by another model); returns how many it embedded. */
export async function embedPending(deps: EmbedDeps, signal?: AbortSignal): Promise<number> {
  const { store, embedder } = deps;
  let total = 0;
  for (;;) {
    if (signal?.aborted) return total;
    const rows = (
      await store.query<{ workspace_id: string; scope: string; namespace: string; key: string; version: number; content: string }>(
        `SELECT workspace_id, scope, namespace, key, version, content FROM aura.memory_entries
          WHERE embedding IS NULL OR embedding_model IS DISTINCT FROM $1 ORDER BY updated_at LIMIT $2`,
        [embedder.model, BATCH],
      )
    ).rows;
    if (rows.length === 0) return total;
    const answer = await embedder.embed({ texts: rows.map((r) => embeddingText(r.key, r.content)), purpose: 'document', signal });
    await store.transaction(async (tx) => {
      // Only the version that was embedded: an entry rewritten meanwhile waits for its own embedding.
      await tx.query(
        `UPDATE aura.memory_entries e SET embedding = u.v::real[], embedding_model = $6
           FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $7::text[]) AS u(s, n, k, ver, v, w)
          WHERE e.workspace_id = u.w AND e.scope = u.s AND e.namespace = u.n AND e.key = u.k AND e.version = u.ver`,
        [rows.map((r) => r.scope), rows.map((r) => r.namespace), rows.map((r) => r.key), rows.map((r) => r.version), answer.vectors.map((v) => `{${normalise(v).join(',')}}`), embedder.model, rows.map((r) => r.workspace_id)],
      );
      await deps.events.appendIn(tx, [{ type: 'MemoryEmbedded', stream: MEMORY_STREAM, actor: 'manager', payload: { count: rows.length, model: embedder.model, tokensIn: answer.tokensIn, costUsd: answer.costUsd } }]);
    });
    total += rows.length;
    deps.logger.debug({ count: rows.length, model: embedder.model }, 'memory entries embedded');
  }
}
