// Search on both stores over the shipped corpus: full-text ranking and filters, semantic ranking through each
// provider's SDK against a stand-in embeddings endpoint, hybrid search surviving the embedding employee's absence.
import assert from 'node:assert/strict';
import { createEmbeddingProvider, createEmployeeEmbedder } from '../../../adapters/employee-embedder';
import { AuraError } from '../../../core/domain/errors';
import type { MemoryService } from '../../../core/memory/memory-service';
import type { EmbeddingProvider } from '../../../core/workforce/embedding-provider';
import { createEmployeeRegistry } from '../../../core/workforce/employee-registry';
import { conceptEmbedder } from '../../support/stand-ins/concept-embedder';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { describeStores } from '../../support/stores';
import { harnesses, profileFor, TEST_KEY } from '../models/harness';
import { corpus, keywordQueries, lexicon, semanticQueries } from './corpus';
import { DIRECTOR, openMemory } from './memory-harness';

async function load(memory: MemoryService): Promise<void> {
  for (const entry of corpus) await memory.put({ scope: entry.scope, key: entry.key, content: entry.content, tags: [...entry.tags] }, DIRECTOR);
}

const embedderFor = (harness: (typeof harnesses)[number], standIn: StandIn, model = `${harness.provider}-embedder`): EmbeddingProvider =>
  createEmbeddingProvider(profileFor(harness, standIn, { model }), { secrets: { env: { STAND_IN_API_KEY: TEST_KEY } }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5 } });

describeStores('memory search', (ctx) => {
  let keywordOnly: MemoryService;
  before(async () => {
    keywordOnly = openMemory(ctx.store).memory;
    await load(keywordOnly);
  });

  for (const { query, first } of keywordQueries) {
    it(`ranks ${first} first for the words "${query}"`, async () => {
      const result = await keywordOnly.search({ query, mode: 'keyword' }, 'default');
      assert.equal(result.hits[0]?.key, first, JSON.stringify(result.hits.map((h) => [h.key, h.score])));
    });
  }

  it('finds nothing by keyword for a query that shares no words with the corpus', async () => {
    assert.deepEqual((await keywordOnly.search({ query: 'outage of the database server', mode: 'keyword' }, 'default')).hits.map((h) => h.key), []);
  });

  it('ranks entries matching more of the words first when any word may match', async () => {
    const result = await keywordOnly.search({ query: 'PostgreSQL disk alert', match: 'any' }, 'default');
    assert.equal(result.hits[0]?.key, 'incidents/2026-02-db-down');
    assert.ok(result.hits.some((h) => h.key === 'architecture/database'));
  });

  it('filters by scope, key prefix and tags', async () => {
    const byScope = await keywordOnly.search({ query: 'conventions', scopes: ['org'], match: 'any' }, 'default');
    assert.deepEqual(byScope.hits.map((h) => h.key), ['conventions/commits']);
    const byPrefix = await keywordOnly.search({ query: 'PostgreSQL', keyPrefix: 'decisions/' }, 'default');
    assert.deepEqual(byPrefix.hits.map((h) => h.key), ['decisions/cache']);
    const byTag = await keywordOnly.search({ query: 'dashboard', tags: ['incident'] }, 'default');
    assert.deepEqual(byTag.hits.map((h) => h.key), ['incidents/2026-03-slow-ui']);
  });

  it('refuses a semantic search when no embedding employee is set, naming the setting', async () => {
    await assert.rejects(keywordOnly.search({ query: 'x', mode: 'semantic' }, 'default'), (e: unknown) => AuraError.is(e, 'config') && /AURA_MEMORY_EMBEDDING_EMPLOYEE/.test((e as Error).message));
  });

  for (const harness of harnesses) {
    describe(`semantic search through the ${harness.provider} SDK`, () => {
      let standIn: StandIn;
      let memory: MemoryService;
      before(async () => {
        standIn = await harness.start({ apiKey: TEST_KEY, embed: conceptEmbedder(lexicon) });
        memory = openMemory(ctx.store, { embedder: embedderFor(harness, standIn) }).memory;
        assert.ok((await memory.embedPending()) >= corpus.length);
      });
      after(() => standIn.close());

      for (const { query, first } of semanticQueries) {
        it(`ranks ${first} first for "${query}"`, async () => {
          const result = await memory.search({ query, mode: 'semantic', limit: 3 }, 'default');
          assert.equal(result.hits[0]?.key, first, JSON.stringify(result.hits.map((h) => [h.key, h.score])));
        });
      }

      it('fuses keyword and semantic matches in a hybrid search', async () => {
        const result = await memory.search({ query: 'outage and WAL' }, 'default');
        assert.equal(result.mode, 'hybrid');
        assert.equal(result.hits[0]?.key, 'incidents/2026-02-db-down');
        assert.deepEqual(result.hits[0]?.matchedBy.sort(), ['keyword', 'semantic']);
      });
    });
  }

  it('embeds a rewritten entry again, and records each batch as MemoryEmbedded', async () => {
    const standIn = await harnesses[0]!.start({ apiKey: TEST_KEY, embed: conceptEmbedder(lexicon) });
    try {
      const { memory, core } = openMemory(ctx.store, { embedder: embedderFor(harnesses[0]!, standIn, 'rewrite-embedder') });
      await memory.embedPending();
      await memory.put({ scope: 'project', key: 'okrs/q1', content: 'Q1 objective: keep the pager quiet at night.' }, DIRECTOR);
      assert.equal(await memory.embedPending(), 1);
      assert.equal((await memory.search({ query: 'on-call rotation', mode: 'semantic', scopes: ['project'], limit: 1 }, 'default')).hits[0]?.key, 'okrs/q1');
      const embedded = await core.events.query({ stream: 'memory', types: ['MemoryEmbedded'] });
      assert.ok(embedded.some((e) => (e.payload as { count: number }).count === 1));
    } finally {
      await standIn.close();
    }
  });

  it('answers a hybrid search by keyword, with a note, while the embedding employee is away', async () => {
    const standIn = await harnesses[0]!.start({ apiKey: TEST_KEY, embed: conceptEmbedder(lexicon) });
    const { memory } = openMemory(ctx.store, { embedder: embedderFor(harnesses[0]!, standIn) });
    await standIn.close();
    const result = await memory.search({ query: 'mocha tests' }, 'default');
    assert.equal(result.hits[0]?.key, 'conventions/testing');
    assert.match(result.notes[0] ?? '', /semantic search unavailable/);
  });

  it('embeds through a hired employee named in the settings', async () => {
    const standIn = await harnesses[1]!.start({ embed: conceptEmbedder(lexicon) });
    try {
      const { core } = openMemory(ctx.store);
      const employees = createEmployeeRegistry(core);
      await employees.hire({ name: 'embedder-ollama', provider: 'ollama', model: 'nomic-embed-text', baseUrl: standIn.url, costTable: { inputPerMTok: 0, outputPerMTok: 0 } }, 'director:local');
      const embedder = createEmployeeEmbedder({ name: 'embedder-ollama', employees });
      const answer = await embedder.embed({ texts: ['the pager rotation'], purpose: 'query' });
      assert.equal(answer.vectors.length, 1);
      assert.equal(embedder.model, 'ollama/nomic-embed-text');
      assert.equal(standIn.calls.at(-1)?.path, '/api/embed');
    } finally {
      await standIn.close();
    }
  });
});
