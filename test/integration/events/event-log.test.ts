// The event log: per-stream sequences, hash links, validation on write and read, append-only enforcement.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { createAuditSigner, hashEvent } from '../../../core/events/chain';
import { verifyChain } from '../../../core/events/verify-chain';
import { describeStores } from '../../support/stores';
import { TEST_AUDIT_KEY, testEventLog } from '../../support/events';

describeStores('event log', (ctx) => {
  const log = () => testEventLog(ctx.store);

  it('numbers events per run from 1 and links each to the one before', async () => {
    const a1 = await log().append({ type: 'RunStarted', runId: 'run_a', actor: 'director', payload: { title: 'A', prdHash: 'h', budgetUsd: null, policySet: null, workspace: null } });
    const b1 = await log().append({ type: 'RunStarted', runId: 'run_b', actor: 'director', payload: { title: 'B', prdHash: 'h', budgetUsd: 5, policySet: null, workspace: null } });
    const a2 = await log().append({ type: 'RunPaused', runId: 'run_a', actor: 'director', payload: { reason: 'lunch' } });
    assert.deepEqual([a1.seq, b1.seq, a2.seq], [1, 1, 2]);
    assert.equal(a1.stream, 'run_a');
    const rows = await ctx.store.query<{ prev_hash: string; hash: string }>("SELECT prev_hash, hash FROM aura.events WHERE stream = 'run_a' ORDER BY seq");
    assert.equal(rows.rows[0]!.prev_hash, '');
    assert.equal(rows.rows[1]!.prev_hash, rows.rows[0]!.hash);
    assert.equal(a2.hash, hashEvent(a1.hash, { stream: 'run_a', seq: 2, type: 'RunPaused', runId: 'run_a', taskId: null, actor: 'director', payload: { reason: 'lunch' }, occurredAt: a2.occurredAt.toISOString() }));
  });

  it('appends from the head it remembers, and from the database\'s head when another writer or a rolled-back transaction moved it', async () => {
    const a = log();
    const b = log();
    const paused = (reason: string) => ({ type: 'RunPaused' as const, runId: 'run_heads', actor: 'd', payload: { reason } });
    await a.append(paused('a1'));
    await a.append(paused('a2'));
    await b.append(paused('b1'));
    await a.append(paused('a3'));
    // a remembers seq 5 from a transaction that rolls back; b then writes a different seq 5: same seq, other hash.
    await assert.rejects(
      ctx.store.transaction(async (tx) => {
        await a.appendIn(tx, [paused('rolled back')]);
        throw new Error('state change failed');
      }),
    );
    await b.append(paused('b2'));
    const last = await a.append(paused('a4'));
    await ctx.store.transaction((tx) => a.appendIn(tx, [paused('a5'), paused('a6')]));
    const rows = await ctx.store.query<{ seq: number; prev_hash: string; hash: string; payload: { reason: string } }>("SELECT seq, prev_hash, hash, payload FROM aura.events WHERE stream = 'run_heads' ORDER BY seq");
    assert.deepEqual(rows.rows.map((r) => r.payload.reason), ['a1', 'a2', 'b1', 'a3', 'b2', 'a4', 'a5', 'a6']);
    assert.deepEqual(rows.rows.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
    rows.rows.forEach((r, i) => assert.equal(r.prev_hash, i === 0 ? '' : rows.rows[i - 1]!.hash));
    assert.equal(last.seq, 6);
    const head = await ctx.store.query<{ seq: number; hash: string }>("SELECT seq, hash FROM aura.event_heads WHERE stream = 'run_heads'");
    assert.deepEqual(head.rows[0], { seq: 8, hash: rows.rows[7]!.hash });
    const report = await verifyChain(ctx.store, createAuditSigner(TEST_AUDIT_KEY), { stream: 'run_heads' });
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  });

  it('puts events outside a run on the system stream', async () => {
    const e = await log().append({ type: 'EmployeeHired', actor: 'director', payload: { employeeId: 'emp_1', name: 'n', provider: 'ollama', model: 'm', skills: [] } });
    assert.equal(e.stream, 'system');
  });

  it('appends several events in the caller transaction, all or none', async () => {
    await assert.rejects(
      ctx.store.transaction(async (tx) => {
        await log().appendIn(tx, [{ type: 'RunPaused', runId: 'run_tx', actor: 'd', payload: { reason: 'x' } }]);
        throw new Error('state change failed');
      }),
    );
    assert.equal((await log().query({ runId: 'run_tx' })).length, 0);
    await ctx.store.transaction((tx) =>
      log().appendIn(tx, [
        { type: 'RunPaused', runId: 'run_tx', actor: 'd', payload: { reason: 'x' } },
        { type: 'RunResumed', runId: 'run_tx', actor: 'd', payload: {} },
      ]),
    );
    assert.deepEqual((await log().query({ runId: 'run_tx' })).map((e) => [e.seq, e.type]), [[1, 'RunPaused'], [2, 'RunResumed']]);
  });

  it('refuses a payload that does not match its type, naming the field', async () => {
    await assert.rejects(
      log().append({ type: 'RunPaused', runId: 'run_a', actor: 'd', payload: { reason: 42 } as never }),
      (e: unknown) => AuraError.is(e, 'invalid_input') && /RunPaused payload is invalid: reason/.test(e.message),
    );
  });

  it('refuses an unknown event type and text with NUL', async () => {
    await assert.rejects(log().append({ type: 'NoSuchEvent', actor: 'd', payload: {} } as never), /Unknown event type "NoSuchEvent"/);
    await assert.rejects(log().append({ type: 'RunPaused', runId: 'run_a', actor: 'd', payload: { reason: 'a\u0000b' } }), /NUL/);
  });

  it('validates payloads when reading them back', async () => {
    const events = await log().query({ runId: 'run_a' });
    assert.equal(events[0]!.type, 'RunStarted');
    assert.equal((events[0]!.payload as { title: string }).title, 'A');
  });

  it('filters queries by type and time, and pages by id', async () => {
    const paused = await log().query({ types: ['RunPaused'] });
    assert.ok(paused.length >= 2 && paused.every((e) => e.type === 'RunPaused'));
    const first = await log().query({ limit: 1 });
    const next = await log().query({ afterId: first[0]!.id, limit: 1 });
    assert.ok(next[0]!.id > first[0]!.id);
    assert.equal((await log().query({ since: new Date(Date.now() + 60_000) })).length, 0);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    await assert.rejects(ctx.store.query("UPDATE aura.events SET actor = 'mallory'"), /append-only/);
    await assert.rejects(ctx.store.query('DELETE FROM aura.events'), /append-only/);
    await assert.rejects(ctx.store.exec('TRUNCATE aura.events'), /append-only/);
    await assert.rejects(ctx.store.query('UPDATE aura.event_heads SET seq = 0'), /only moves forward/);
  });
});
