// Appends from several processes at once never fork a chain: one gapless, verifiable sequence per stream.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createAuditSigner } from '../../../core/events/chain';
import { verifyChain } from '../../../core/events/verify-chain';
import { TEST_AUDIT_KEY } from '../../support/events';
import { describeStores } from '../../support/stores';

const child = path.join(__dirname, '..', '..', 'support', 'append-process.ts');

function runWriter(url: string, stream: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--require', 'tsx/cjs', child, url, stream, String(count)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

describeStores(
  'concurrent writers',
  (ctx) => {
    it('two processes appending to the same run and to another produce unforked, verifiable chains', async function () {
      this.timeout(60_000);
      await Promise.all([runWriter(ctx.db.url, 'run_shared', 150), runWriter(ctx.db.url, 'run_shared', 150), runWriter(ctx.db.url, 'run_other', 50)]);
      const seqs = await ctx.store.query<{ seq: number }>("SELECT seq FROM aura.events WHERE stream = 'run_shared' ORDER BY seq");
      assert.deepEqual(seqs.rows.map((r) => r.seq), Array.from({ length: 300 }, (_, i) => i + 1));
      const writers = await ctx.store.query<{ n: number }>("SELECT count(DISTINCT actor)::int AS n FROM aura.events WHERE stream = 'run_shared'");
      assert.equal(writers.rows[0]!.n, 2);
      const report = await verifyChain(ctx.store, createAuditSigner(TEST_AUDIT_KEY));
      assert.deepEqual({ ok: report.ok, events: report.events, problems: report.problems }, { ok: true, events: 350, problems: [] });
    });
  },
  { only: 'postgres' },
);
