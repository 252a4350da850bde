// Memory on both stores: scopes and their namespaces, versioned writes with author and event, as-of reads, history,
// diff, deletion as a tombstone, TTL expiry.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { describeStores } from '../../support/stores';
import { DIRECTOR, movableClock, openMemory } from './memory-harness';

describeStores('memory versions and scopes', (ctx) => {
  it('keeps the same key apart in each scope and namespace', async () => {
    const { memory } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'conventions/style', content: 'project style' }, DIRECTOR);
    await memory.put({ scope: 'org', key: 'conventions/style', content: 'org style' }, DIRECTOR);
    await memory.put({ scope: 'user', key: 'conventions/style', content: 'my style' }, DIRECTOR);
    await memory.put({ scope: 'run', namespace: 'run_a', key: 'conventions/style', content: 'run style' }, DIRECTOR);
    const read = async (scope: 'project' | 'org' | 'user') => (await memory.get({ scope, key: 'conventions/style' }, DIRECTOR)).content;
    assert.deepEqual([await read('project'), await read('org'), await read('user')], ['project style', 'org style', 'my style']);
    const run = await memory.get({ scope: 'run', namespace: 'run_a', key: 'conventions/style' }, DIRECTOR);
    assert.equal(run.uri, 'memory://run/run_a/conventions/style');
    assert.equal(run.runId, 'run_a');
  });

  it('refuses a run entry that does not name its run', async () => {
    const { memory } = openMemory(ctx.store);
    await assert.rejects(memory.put({ scope: 'run', key: 'notes', content: 'x' }, DIRECTOR), (e: unknown) => AuraError.is(e, 'invalid_input') && /names its run/.test((e as Error).message));
  });

  it('refuses a malformed key with the reason, writing nothing', async () => {
    const { memory } = openMemory(ctx.store);
    await assert.rejects(memory.put({ scope: 'project', key: '/etc//passwd', content: 'x' }, DIRECTOR), (e: unknown) => AuraError.is(e, 'invalid_input') && /key/.test((e as Error).message));
    assert.equal((await ctx.store.query(`SELECT 1 FROM aura.memory_versions WHERE key LIKE '%passwd%'`)).rowCount, 0);
  });

  it('makes every write a new version with its author and a MemoryWritten event', async () => {
    const { memory, core } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'versioned/a', content: 'one' }, DIRECTOR);
    const second = await memory.put({ scope: 'project', key: 'versioned/a', content: 'two', tags: ['arch'] }, { actor: 'manager', kind: 'manager', workspaceId: 'default' });
    assert.equal(second.version, 2);
    assert.equal(second.author, 'manager');
    const history = await memory.history({ scope: 'project', key: 'versioned/a' }, DIRECTOR);
    assert.deepEqual(history.map((h) => [h.version, h.author, h.authorKind]), [[2, 'manager', 'manager'], [1, 'director:local', 'director']]);
    const written = (await core.events.query({ stream: 'memory', types: ['MemoryWritten'] })).filter((e) => (e.payload as { key: string }).key === 'versioned/a');
    assert.deepEqual(written.map((e) => [(e.payload as { version: number }).version, e.actor]), [[1, 'director:local'], [2, 'manager']]);
    assert.equal(history[0]!.eventId, written[1]!.id);
  });

  it('writes no new version when content and tags are unchanged', async () => {
    const { memory } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'same/a', content: 'same', tags: ['x'] }, DIRECTOR);
    const again = await memory.put({ scope: 'project', key: 'same/a', content: 'same', tags: ['x'] }, DIRECTOR);
    assert.equal(again.version, 1);
  });

  it('refuses a write whose expected version is not the current one', async () => {
    const { memory } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'cas/a', content: 'one' }, DIRECTOR);
    await assert.rejects(memory.put({ scope: 'project', key: 'cas/a', content: 'two', expectedVersion: 0 }, DIRECTOR), (e: unknown) => AuraError.is(e, 'conflict'));
    assert.equal((await memory.put({ scope: 'project', key: 'cas/a', content: 'two', expectedVersion: 1 }, DIRECTOR)).version, 2);
  });

  it('answers as of a time with the version written by then', async () => {
    const clock = movableClock();
    const { memory } = openMemory(ctx.store, { clock });
    await memory.put({ scope: 'org', key: 'asof/time', content: 'first' }, DIRECTOR);
    const between = new Date(clock.now().getTime() + 30_000);
    clock.advance(60_000);
    await memory.put({ scope: 'org', key: 'asof/time', content: 'second' }, DIRECTOR);
    assert.equal((await memory.get({ scope: 'org', key: 'asof/time', asOf: { at: between.toISOString() } }, DIRECTOR)).content, 'first');
    assert.equal((await memory.get({ scope: 'org', key: 'asof/time' }, DIRECTOR)).content, 'second');
    await assert.rejects(memory.get({ scope: 'org', key: 'asof/time', asOf: { at: '2025-01-01T00:00:00Z' } }, DIRECTOR), (e: unknown) => AuraError.is(e, 'not_found') && /did not exist/.test((e as Error).message));
  });

  it("answers as of an event with what was known when that event was written", async () => {
    const { memory, core } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'asof/event', content: 'before the run' }, DIRECTOR);
    const marker = await core.events.append({ type: 'TokenRevoked', actor: 'test', payload: { tokenId: 'tok_marker', reason: 'a point in time' } });
    await memory.put({ scope: 'project', key: 'asof/event', content: 'after the run' }, DIRECTOR);
    assert.equal((await memory.get({ scope: 'project', key: 'asof/event', asOf: { eventId: marker.id } }, DIRECTOR)).content, 'before the run');
  });

  it('diffs two versions as a unified patch', async () => {
    const { memory } = openMemory(ctx.store);
    await memory.put({ scope: 'project', key: 'diff/a', content: 'line one\nline two\n' }, DIRECTOR);
    await memory.put({ scope: 'project', key: 'diff/a', content: 'line one\nline three\n' }, DIRECTOR);
    const { patch, from, to } = await memory.diff({ scope: 'project', key: 'diff/a', from: 1 }, DIRECTOR);
    assert.deepEqual([from, to], [1, 2]);
    assert.match(patch, /-line two\n\+line three/);
  });

  it('deletes as a tombstone: gone now, still readable as of before, with a MemoryDeleted event', async () => {
    const clock = movableClock();
    const { memory, core } = openMemory(ctx.store, { clock });
    await memory.put({ scope: 'project', key: 'delete/a', content: 'soon gone' }, DIRECTOR);
    const before = clock.now().toISOString();
    clock.advance(1000);
    assert.equal((await memory.delete({ scope: 'project', key: 'delete/a', reason: 'obsolete' }, DIRECTOR)).version, 2);
    await assert.rejects(memory.get({ scope: 'project', key: 'delete/a' }, DIRECTOR), (e: unknown) => AuraError.is(e, 'not_found'));
    assert.equal((await memory.get({ scope: 'project', key: 'delete/a', asOf: { at: before } }, DIRECTOR)).content, 'soon gone');
    const deleted = (await core.events.query({ stream: 'memory', types: ['MemoryDeleted'] })).find((e) => (e.payload as { key: string }).key === 'delete/a');
    assert.equal((deleted!.payload as { reason: string }).reason, 'obsolete');
  });

  it('expires run entries after 24 hours and project entries after 90 days, org entries never', async () => {
    const clock = movableClock(new Date('2026-03-01T00:00:00Z'));
    const { memory, core } = openMemory(ctx.store, { clock });
    await memory.put({ scope: 'run', namespace: 'run_ttl', key: 'ttl/scratch', content: 'intermediate' }, DIRECTOR);
    await memory.put({ scope: 'project', key: 'ttl/okr', content: 'quarterly goal' }, DIRECTOR);
    await memory.put({ scope: 'org', key: 'ttl/team', content: 'the team' }, DIRECTOR);
    clock.advance(24 * 3_600_000 + 1);
    await assert.rejects(memory.get({ scope: 'run', namespace: 'run_ttl', key: 'ttl/scratch' }, DIRECTOR), (e: unknown) => AuraError.is(e, 'not_found'));
    assert.equal((await memory.get({ scope: 'project', key: 'ttl/okr' }, DIRECTOR)).content, 'quarterly goal');
    clock.advance(90 * 86_400_000);
    assert.ok((await memory.expire()) >= 2);
    await assert.rejects(memory.get({ scope: 'project', key: 'ttl/okr' }, DIRECTOR), (e: unknown) => AuraError.is(e, 'not_found'));
    assert.equal((await memory.get({ scope: 'org', key: 'ttl/team' }, DIRECTOR)).content, 'the team');
    assert.equal((await ctx.store.query(`SELECT 1 FROM aura.memory_versions WHERE key IN ('ttl/scratch', 'ttl/okr')`)).rowCount, 0);
    const expired = await core.events.query({ stream: 'memory', types: ['MemoryExpired'] });
    assert.ok(expired.some((e) => (e.payload as { entries: Array<{ key: string }> }).entries.some((k) => k.key === 'ttl/okr')));
  });

  it('takes its TTLs from the settings', async () => {
    const clock = movableClock(new Date('2026-06-01T00:00:00Z'));
    const { memory } = openMemory(ctx.store, { clock, env: { memoryTtlOrgDays: 1 } });
    const entry = await memory.put({ scope: 'org', key: 'ttl/configured', content: 'a day only' }, DIRECTOR);
    assert.equal(entry.expiresAt?.toISOString(), '2026-06-02T00:00:00.000Z');
  });
});
