// `verifyChain` finds every tampering (edit, delete, reorder, forged signature) and names the first bad row.
import assert from 'node:assert/strict';
import { createAuditSigner, hashEvent } from '../../../core/events/chain';
import { verifyChain } from '../../../core/events/verify-chain';
import { TEST_AUDIT_KEY, testEventLog } from '../../support/events';
import { describeStores } from '../../support/stores';
import { tamper, writeRun } from '../../support/tamper';

const signer = createAuditSigner(TEST_AUDIT_KEY);

describeStores('audit chain verification', (ctx) => {
  const rowId = async (stream: string, seq: number) =>
    Number((await ctx.store.query<{ id: number }>('SELECT id FROM aura.events WHERE stream = $1 AND seq = $2', [stream, seq])).rows[0]!.id);

  before(async () => {
    const log = testEventLog(ctx.store);
    for (const run of ['run_clean', 'run_edit', 'run_delete', 'run_tail', 'run_reorder', 'run_forge', 'run_invalid']) await writeRun(log, run, 5);
  });

  it('passes an untouched chain', async () => {
    const report = await verifyChain(ctx.store, signer, { stream: 'run_clean' });
    assert.deepEqual(report, { ok: true, streams: 1, events: 5, problems: [] });
  });

  it('names an edited row', async () => {
    const id = await rowId('run_edit', 3);
    await tamper(ctx.store, (tx) => tx.query(`UPDATE aura.events SET payload = '{"reason":"nothing to see"}' WHERE id = $1`, [id]));
    const report = await verifyChain(ctx.store, signer, { stream: 'run_edit' });
    assert.equal(report.ok, false);
    assert.deepEqual(report.problems.map((p) => [p.kind, p.seq, p.id]), [['edited', 3, id]]);
  });

  it('names a deleted row in the middle', async () => {
    const id = await rowId('run_delete', 2);
    await tamper(ctx.store, (tx) => tx.query('DELETE FROM aura.events WHERE id = $1', [id]));
    const [problem] = (await verifyChain(ctx.store, signer, { stream: 'run_delete' })).problems;
    assert.deepEqual([problem!.kind, problem!.seq], ['deleted', 2]);
    assert.match(problem!.message, /event 2 is missing/);
  });

  it('names rows cut off the end as truncated, using the chain head', async () => {
    await tamper(ctx.store, (tx) => tx.query("DELETE FROM aura.events WHERE stream = 'run_tail' AND seq >= 4"));
    const [problem] = (await verifyChain(ctx.store, signer, { stream: 'run_tail' })).problems;
    assert.deepEqual([problem!.kind, problem!.seq], ['truncated', 4]);
    assert.match(problem!.message, /events 4\.\.5 are missing from the end/);
  });

  it('names reordered rows', async () => {
    const id2 = await rowId('run_reorder', 2);
    const id3 = await rowId('run_reorder', 3);
    await tamper(ctx.store, async (tx) => {
      await tx.query('UPDATE aura.events SET seq = 1000 WHERE id = $1', [id2]);
      await tx.query('UPDATE aura.events SET seq = 2 WHERE id = $1', [id3]);
      await tx.query('UPDATE aura.events SET seq = 3 WHERE id = $1', [id2]);
    });
    const [problem] = (await verifyChain(ctx.store, signer, { stream: 'run_reorder' })).problems;
    assert.deepEqual([problem!.kind, problem!.seq, problem!.id], ['reordered', 3, id2]);
  });

  it('names a row re-signed without the key, even when the chain of hashes was rebuilt', async () => {
    const wrong = createAuditSigner('not-the-real-key-0000000000000000');
    const rows = (await ctx.store.query<{ id: number; seq: number; type: string; actor: string; payload: unknown; occurred_at: Date; prev_hash: string }>(
      "SELECT id, seq, type, actor, payload, occurred_at, prev_hash FROM aura.events WHERE stream = 'run_forge' ORDER BY seq",
    )).rows;
    await tamper(ctx.store, async (tx) => {
      let prev = rows[2]!.prev_hash;
      for (const row of rows.slice(2)) {
        const payload = row.type === 'RunPaused' ? { reason: 'rewritten' } : row.payload;
        const hash = hashEvent(prev, { stream: 'run_forge', seq: Number(row.seq), type: row.type, runId: 'run_forge', taskId: null, actor: row.actor, payload, occurredAt: row.occurred_at.toISOString() });
        await tx.query('UPDATE aura.events SET payload = $2, prev_hash = $3, hash = $4, hmac = $5 WHERE id = $1', [row.id, JSON.stringify(payload), prev, hash, wrong.sign(hash)]);
        prev = hash;
      }
      await tx.query("UPDATE aura.event_heads SET hash = $1 WHERE stream = 'run_forge'", [prev]);
    });
    const [problem] = (await verifyChain(ctx.store, signer, { stream: 'run_forge' })).problems;
    assert.deepEqual([problem!.kind, problem!.seq, problem!.id], ['forged', 3, Number(rows[2]!.id)]);
  });

  it('reports each tampered stream once when verifying everything, and leaves clean ones alone', async () => {
    const report = await verifyChain(ctx.store, signer);
    const bad = report.problems.map((p) => p.stream).sort();
    assert.deepEqual(bad, ['run_delete', 'run_edit', 'run_forge', 'run_reorder', 'run_tail']);
  });
});
