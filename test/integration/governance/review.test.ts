// The optional review layer: a real model adapter (OpenAI SDK) against the OpenAI stand-in scores results 0-10;
// below the threshold the verdict fails; a reviewer that cannot answer is nobody's fault; each call is costed; a
// task or call cap crossed is recorded.
import assert from 'node:assert/strict';
import path from 'node:path';
import { createModelProvider } from '../../../adapters/model-providers';
import { employeeProfileSchema } from '../../../core/workforce/employee';
import { createRunlogs, type Runlogs } from '../../../core/workforce/workers/runlog';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { describeStores } from '../../support/stores';
import { createHarness, director, type Harness } from './harness';

const KEY = 'sk-review-stand-in-0123456789';

describeStores('governance model review', (ctx) => {
  let h: Harness;
  let standIn: StandIn;
  let runlogs: Runlogs;

  before(async function () {
    this.timeout(30_000);
    standIn = await startOpenAIStandIn({ apiKey: KEY });
    const reviewer = createModelProvider(
      employeeProfileSchema.parse({ name: 'reviewer', provider: 'openai', model: 'gpt-review', baseUrl: `${standIn.url}/v1`, apiKeyRef: 'env:REVIEW_KEY', costTable: { inputPerMTok: 2, outputPerMTok: 8 } }),
      { secrets: { env: { REVIEW_KEY: KEY } }, retry: { maxAttempts: 1 } },
    );
    runlogs = createRunlogs({ store: ctx.store, snapshotsDir: path.join(require('node:os').tmpdir(), 'aura-review-snapshots') });
    h = await createHarness(ctx.store, { reviewer, runlogs });
  });
  after(async () => {
    await standIn?.close();
    h?.close();
  });
  beforeEach(() => standIn.reset());

  const review = (score: number, reasons: string[]) => standIn.enqueue({ kind: 'answer', text: JSON.stringify({ score, reasons }), tokensIn: 900, tokensOut: 60 });

  it('fails a result the reviewer scores below 7, with its reasons as evidence and its cost in the ledger', async () => {
    const e = await h.hire('reviewed-low', { skills: ['doc'] });
    review(4, ['misses the error cases', 'no examples']);
    const a = h.assignment(h.run('run_review'), h.task({ id: 'guide', kind: 'doc', acceptance: { criteria: ['covers error cases'], commands: [] } }), e, 1, 'review-low');
    const verdict = await h.attempt(a, h.result({ summary: 'Wrote the guide' }));
    assert.deepEqual(verdict, { passed: false, reason: 'the reviewer scored 4/10 (threshold 7): misses the error cases', retryable: true });
    const sent = JSON.stringify(standIn.calls[0]!.body);
    assert.match(sent, /covers error cases/);
    assert.match(sent, /Wrote the guide/);
    const [failed] = (await h.ctx.events.query({ runId: 'run_review', types: ['VerificationFailed'] })).filter((x) => (x.payload as { layer: string }).layer === 'review');
    const evidence = await h.gov.evidence.get((failed!.payload as { evidenceHash: string }).evidenceHash);
    const body = evidence.body.content as { score: number; reasons: string[]; callKey: string; costUsd: number };
    assert.deepEqual([body.score, body.reasons, body.costUsd], [4, ['misses the error cases', 'no examples'], 0.00228]);
    assert.match(body.callKey, /^[0-9a-f]{64}$/);
    const rollup = await h.gov.ledger.rollup(ctx.store, 'run_review');
    assert.deepEqual(rollup.bySource, [{ source: 'attempt', costUsd: 0.01 }, { source: 'review', costUsd: 0.00228 }]);
    const [assessed] = await h.ctx.events.query({ runId: 'run_review', types: ['AttemptAssessed'] });
    assert.deepEqual([(assessed!.payload as { outcome: string }).outcome, (assessed!.payload as { reviewScore: number }).reviewScore], ['failed', 4]);
  });

  it('passes a result scored at or above the threshold, and counts the score as satisfaction', async () => {
    const e = await h.hire('reviewed-high', { skills: ['doc'] });
    review(9, ['complete and clear']);
    const verdict = await h.attempt(h.assignment(h.run('run_review'), h.task({ id: 'guide2', kind: 'doc' }), e, 1, 'review-high'), h.result());
    assert.deepEqual(verdict, { passed: true });
    const card = (await h.gov.accountant.cards(ctx.store, [e.id], 'doc')).get(e.id)!;
    assert.ok(card.satisfaction > 0.7, `${card.satisfaction}: above the prior of 0.7`);
  });

  it('treats a reviewer that cannot answer as an infrastructure failure: retried, not held against the employee', async () => {
    const e = await h.hire('reviewed-unlucky', { skills: ['doc'] });
    standIn.enqueue({ kind: 'error', status: 500, message: 'overloaded' });
    const verdict = await h.attempt(h.assignment(h.run('run_review'), h.task({ id: 'guide3', kind: 'doc' }), e, 1, 'review-down'), h.result());
    assert.equal(verdict!.passed, false);
    assert.match(verdict!.reason!, /the reviewer could not be reached/);
    const assessed = (await h.ctx.events.query({ runId: 'run_review', types: ['AttemptAssessed'] })).at(-1)!.payload as { outcome: string };
    assert.equal(assessed.outcome, 'infrastructure');
    assert.equal((await h.gov.accountant.cards(ctx.store, [e.id], 'doc')).get(e.id)!.attempts, 0);
  });

  it('records the cost of each model round as a call, and a crossed call cap as a notice', async () => {
    const e = await h.hire('chatty', { skills: ['doc'] });
    await h.gov.caps.set(director, 'call', 0.05);
    review(8, ['fine']);
    const a = h.assignment(h.run('run_calls'), h.task({ id: 'calls', kind: 'doc' }), e, 1, 'calls-1');
    const log = await runlogs.open(a);
    await log.add({ kind: 'model', command: 'round 1: openai/m', durationMs: 900, reason: 'stop', detail: { tokensIn: 1000, tokensOut: 100, costUsd: 0.02, model: 'm' } });
    await log.add({ kind: 'model', command: 'round 2: openai/m', durationMs: 900, reason: 'stop', detail: { tokensIn: 9000, tokensOut: 900, costUsd: 0.08, model: 'm' } });
    await h.attempt(a, h.result({ telemetry: { tokensIn: 10_000, tokensOut: 1_000, latencyMs: 1_800, costUsd: 0.1, model: 'm' } }));
    const rollup = await h.gov.ledger.rollup(ctx.store, 'run_calls');
    const reviewUsd = rollup.bySource.find((s) => s.source === 'review')!.costUsd;
    assert.equal(rollup.totalUsd, Math.round((0.1 + reviewUsd) * 1e9) / 1e9, 'calls are detail, not added twice');
    assert.deepEqual(rollup.bySource.find((s) => s.source === 'call'), { source: 'call', costUsd: 0.1 });
    const [limit] = await h.ctx.events.query({ runId: 'run_calls', types: ['CostLimitExceeded'] });
    const p = limit!.payload as { scope: string; action: string; rule: string; spentUsd: number; limitUsd: number };
    assert.deepEqual([p.scope, p.action, p.rule, p.spentUsd, p.limitUsd], ['call:run_calls/calls-1#1', 'notify', 'task-cap-notifies', 0.08, 0.05]);
  });
});
