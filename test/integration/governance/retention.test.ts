// Retention: the Director's cleanup removes only data older than the period, records itself, and the chain verifies.
import assert from 'node:assert/strict';
import { AuraError } from '../../../core/domain/errors';
import { verifyChain } from '../../../core/events/verify-chain';
import { describeStores } from '../../support/stores';
import { tamper } from '../../support/tamper';
import { createHarness, director, type Harness, TestClock } from './harness';

const DAY = 86_400_000;

describeStores('governance retention cleanup', (ctx) => {
  let h: Harness;
  const clock = new TestClock(new Date('2031-06-01T00:00:00Z'));
  const now = clock.now();
  const old = new Date(now.getTime() - 400 * DAY);
  const count = async (table: string) => Number((await ctx.store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

  before(async function () {
    this.timeout(30_000);
    clock.set(old);
    h = await createHarness(ctx.store, { clock });
    const e = await h.hire('veteran', { skills: ['doc'] });
    const start = (id: string) => h.ctx.events.append({ type: 'RunStarted', runId: id, actor: 'director:local', payload: { title: id, prdHash: 'h', budgetUsd: null, policySet: null, workspace: null } });
    // A year and more ago: a finished run with an assessed attempt, and a run that never finished.
    await start('run_oldfinished');
    await h.attempt(h.assignment(h.run('run_oldfinished'), h.task({ id: 'x', kind: 'doc' }), e, 1, 'old-x'), h.result());
    await h.ctx.events.append({ type: 'RunCompleted', runId: 'run_oldfinished', actor: 'manager', payload: { outcome: 'succeeded', costUsd: 0.01, succeeded: 1, skipped: 0, deadLettered: 0 } });
    await h.gov.archive.archive('run_oldfinished', 'auditor');
    await start('run_stillgoing');
    // Recent: the same finished run gets a late event (a Director rating), and a new run works.
    clock.set(new Date(now.getTime() - 10 * DAY));
    await h.ctx.events.append({ type: 'RunPaused', runId: 'run_oldfinished', actor: 'director:local', payload: { reason: 'late note' } });
    await start('run_recent');
    await h.attempt(h.assignment(h.run('run_recent'), h.task({ id: 'y', kind: 'doc' }), e, 1, 'new-y'), h.result());
    clock.set(now);
  });
  after(() => h.close());

  it('refuses anyone but the Director, records the refusal, and removes nothing', async () => {
    const before = await count('aura.events');
    await assert.rejects(h.gov.cleanupRetention({ actor: 'operator:ci', role: 'operator' }), (e: unknown) => AuraError.is(e, 'forbidden'));
    const [refused] = await h.ctx.events.query({ types: ['GovernanceRequestRefused'] });
    assert.equal((refused!.payload as { request: string }).request, 'retention cleanup');
    assert.equal(await count('aura.events'), before + 1);
  });

  it('removes only what is older than the retention period, records that it did, and the audit chain still verifies', async () => {
    const evidenceBefore = await count('aura.evidence');
    const report = await h.gov.cleanupRetention(director);
    assert.equal(report.retentionDays, 365);
    assert.equal(report.cutoff.toISOString(), new Date(now.getTime() - 365 * DAY).toISOString());
    // The finished run lost its old events (kept: the late one); the unfinished run lost nothing; the system stream its old part.
    const streams = Object.fromEntries(report.trimmedStreams.map((s) => [s.stream, s.afterSeq]));
    assert.ok(streams['run_oldfinished']! >= 4, JSON.stringify(streams));
    assert.equal(streams['run_stillgoing'], undefined);
    assert.ok(streams['system']! >= 1);
    assert.deepEqual((await h.ctx.events.query({ runId: 'run_oldfinished' })).map((e) => e.type), ['RunPaused']);
    assert.deepEqual((await h.ctx.events.query({ runId: 'run_stillgoing' })).map((e) => e.type), ['RunStarted']);
    assert.deepEqual((await h.ctx.events.query({ runId: 'run_recent' })).map((e) => e.type), ['RunStarted', 'VerificationPassed', 'EvidenceRecorded', 'AttemptAssessed']);
    assert.equal(report.deleted['aura.evidence'], 1);
    assert.equal(await count('aura.evidence'), evidenceBefore - 1);
    assert.deepEqual([report.deleted['aura.attempt_facts'], report.deleted['aura.run_archives'], report.deleted['aura.cost_ledger']], [1, 1, 1]);
    assert.deepEqual((await ctx.store.query<{ run_id: string }>('SELECT run_id FROM aura.attempt_facts')).rows.map((r) => r.run_id), ['run_recent']);
    // The shipped policy version is in force, so it stays however old it is.
    assert.equal(await count('aura.policy_versions'), 1);
    const [record] = await h.ctx.events.query({ types: ['RetentionCleanupPerformed'] });
    assert.equal(record!.actor, director.actor);
    assert.deepEqual((record!.payload as { deleted: Record<string, number> }).deleted, report.deleted);
    const verified = await verifyChain(ctx.store, h.ctx.signer);
    assert.deepEqual(verified.problems, []);
    assert.equal(verified.ok, true);
  });

  it('is a no-op the second time, and the anchors do not hide a deletion made afterwards', async () => {
    const again = await h.gov.cleanupRetention(director);
    assert.equal(again.deleted['aura.events'], 0);
    assert.equal((await verifyChain(ctx.store, h.ctx.signer)).ok, true);
    await tamper(ctx.store, (tx) => tx.query("DELETE FROM aura.events WHERE stream = 'run_recent' AND seq = 2"));
    const report = await verifyChain(ctx.store, h.ctx.signer, { stream: 'run_recent' });
    assert.deepEqual([report.ok, report.problems[0]?.kind], [false, 'deleted']);
  });
});
