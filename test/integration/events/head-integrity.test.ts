// Signed heads and signed checkpoints of heads: a tail cut off with its head moved back, an old head put back, a
// whole stream deleted and a forged event are each detected and named, and a checkpoint edited by hand is refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuditSigner, hashEvent } from '../../../core/events/chain';
import { checkHeadCheckpoint, readCheckpointFile, takeHeadCheckpoint, writeCheckpointFile } from '../../../core/events/head-checkpoint';
import { verifyChain } from '../../../core/events/verify-chain';
import { systemClock } from '../../../core/domain/clock';
import { TEST_AUDIT_KEY, testEventLog } from '../../support/events';
import { describeStores } from '../../support/stores';
import { tamper, writeRun } from '../../support/tamper';

const signer = createAuditSigner(TEST_AUDIT_KEY);

describeStores('chain heads and checkpoints', (ctx) => {
  const head = async (stream: string) => (await ctx.store.query<{ seq: number; hash: string; hmac: string }>('SELECT seq, hash, hmac FROM aura.event_heads WHERE stream = $1', [stream])).rows[0]!;
  const hashOf = async (stream: string, seq: number) => (await ctx.store.query<{ hash: string }>('SELECT hash FROM aura.events WHERE stream = $1 AND seq = $2', [stream, seq])).rows[0]!.hash;
  /** The attacker's move from the issue: delete the last event and put the head back one step. */
  const cutLastAndRollBack = async (stream: string) => {
    const h = await head(stream);
    const previous = await hashOf(stream, Number(h.seq) - 1);
    await tamper(ctx.store, async (tx) => {
      await tx.query('DELETE FROM aura.events WHERE stream = $1 AND seq = $2', [stream, h.seq]);
      await tx.query('UPDATE aura.event_heads SET seq = $2, hash = $3 WHERE stream = $1', [stream, Number(h.seq) - 1, previous]);
    });
  };

  before(async () => {
    const log = testEventLog(ctx.store);
    for (const run of ['run_ok', 'run_rollback', 'run_cut', 'run_replayed', 'run_gone', 'run_forged']) await writeRun(log, run, 4);
  });

  it('signs every head it moves, and a clean chain verifies against a checkpoint', async () => {
    const h = await head('run_ok');
    assert.match(h.hmac, /^[0-9a-f]{64}$/);
    const checkpoint = await takeHeadCheckpoint(ctx.store, signer, systemClock);
    assert.equal((await verifyChain(ctx.store, signer, { stream: 'run_ok', checkpoints: [checkpoint] })).ok, true);
  });

  it('names a head moved back by hand (the tail cut off with it) as rolled back, without any checkpoint', async () => {
    await cutLastAndRollBack('run_rollback');
    const report = await verifyChain(ctx.store, signer, { stream: 'run_rollback' });
    assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['rolled_back', 3]]);
    assert.match(report.problems[0]!.message, /not signed with this audit key/);
  });

  it('names the cut tail exactly when a checkpoint recorded it', async () => {
    const checkpoint = await takeHeadCheckpoint(ctx.store, signer, systemClock);
    await cutLastAndRollBack('run_cut');
    const [problem] = (await verifyChain(ctx.store, signer, { stream: 'run_cut', checkpoints: [checkpoint] })).problems;
    assert.deepEqual([problem!.kind, problem!.seq], ['truncated', 4]);
    assert.match(problem!.message, /event 4 is missing from the end .*checkpoint recorded 4, and the chain head was moved back to 3/);
  });

  it('names a tail cut off behind an old, validly signed head put back, using the checkpoint', async () => {
    const old = await head('run_replayed');
    await testEventLog(ctx.store).append({ type: 'RunPaused', runId: 'run_replayed', actor: 'director', payload: { reason: 'later' } });
    const checkpoint = await takeHeadCheckpoint(ctx.store, signer, systemClock);
    await tamper(ctx.store, async (tx) => {
      await tx.query("DELETE FROM aura.events WHERE stream = 'run_replayed' AND seq = 5");
      await tx.query("UPDATE aura.event_heads SET seq = $1, hash = $2, hmac = $3 WHERE stream = 'run_replayed'", [old.seq, old.hash, old.hmac]);
    });
    assert.equal((await verifyChain(ctx.store, signer, { stream: 'run_replayed' })).ok, true, 'without a checkpoint the replayed head is consistent');
    const [problem] = (await verifyChain(ctx.store, signer, { stream: 'run_replayed', checkpoints: [checkpoint] })).problems;
    assert.deepEqual([problem!.kind, problem!.seq], ['truncated', 5]);
  });

  it('names a whole stream deleted (events and head) that a checkpoint recorded', async () => {
    const checkpoint = await takeHeadCheckpoint(ctx.store, signer, systemClock);
    await tamper(ctx.store, async (tx) => {
      await tx.query("DELETE FROM aura.events WHERE stream = 'run_gone'");
      await tx.query("DELETE FROM aura.event_heads WHERE stream = 'run_gone'");
    });
    const report = await verifyChain(ctx.store, signer, { checkpoints: [checkpoint] });
    const gone = report.problems.find((p) => p.stream === 'run_gone');
    assert.equal(gone?.kind, 'stream_deleted');
  });

  it('names an event appended without the key a forgery, not an edit', async () => {
    const h = await head('run_forged');
    const occurredAt = new Date().toISOString();
    const content = { stream: 'run_forged', seq: Number(h.seq) + 1, type: 'RunResumed', runId: 'run_forged', taskId: null, actor: 'director', payload: {}, occurredAt };
    const hash = hashEvent(h.hash, content);
    await tamper(ctx.store, async (tx) => {
      await tx.query(
        `INSERT INTO aura.events (stream, seq, type, run_id, task_id, actor, payload, occurred_at, prev_hash, hash, hmac)
         VALUES ('run_forged', $1, 'RunResumed', 'run_forged', NULL, 'director', '{}', $2, $3, $4, $5)`,
        [content.seq, occurredAt, h.hash, hash, 'f'.repeat(64)],
      );
      await tx.query("UPDATE aura.event_heads SET seq = $1, hash = $2 WHERE stream = 'run_forged'", [content.seq, hash]);
    });
    const [problem] = (await verifyChain(ctx.store, signer, { stream: 'run_forged' })).problems;
    assert.deepEqual([problem!.kind, problem!.seq], ['forged', content.seq]);
    assert.match(problem!.message, /is a forgery/);
  });

  it('writes a checkpoint file under the audit folder and refuses one edited by hand', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-audit-'));
    writeCheckpointFile(dir, await takeHeadCheckpoint(ctx.store, signer, systemClock));
    const stored = readCheckpointFile(dir)!;
    assert.equal((fs.statSync(stored.file).mode & 0o777).toString(8), '600');
    assert.equal(checkHeadCheckpoint(signer, stored.value).ok, true);
    const edited = structuredClone(stored.value) as { heads: Array<{ seq: number }> };
    edited.heads[0]!.seq -= 1;
    const checked = checkHeadCheckpoint(signer, edited);
    assert.equal(checked.ok, false);
    assert.match(checked.ok ? '' : checked.problem, /signature was not made with this audit key/);
  });
});
