// Replaying a run from its record, on PostgreSQL and PGlite: employees whose model calls go through the real OpenAI SDK
// to a stand-in and whose commands are recorded tool calls; the stand-in is stopped, the replay matches and costs nothing,
// and an edited record makes the replay diverge where it was edited.
import assert from 'node:assert/strict';
import { createCallRecorder } from '../../../core/replay/call-recorder';
import { recordedTool } from '../../../core/workforce/workers/attempt-container';
import type { ModelProvider } from '../../../core/workforce/model-provider';
import type { Assignment, WorkResult } from '../../../core/workforce/worker';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { testCore } from '../../support/in-process-workers';
import { describeStores } from '../../support/stores';
import { startManager, waitFor, waitForRun, type Harness } from '../manager/manager-harness';
import { harnesses, providerFor, TEST_KEY } from '../models/harness';

const prd = '## W\n- `a`: A\n- `flaky`: F (after `a`)\n- `gate`: Approve the release (kind: approval) (after `flaky`)\n- `ship`: S (after `gate`)\n';

/** An employee that asks the model what to run, runs it (a recorded tool call) and reports both; `flaky` fails its first try. */
function modelEmployee(model: () => ModelProvider, recorder: ReturnType<typeof createCallRecorder>) {
  return (a: Assignment) => async (): Promise<WorkResult> => {
    const answer = await model().complete({ messages: [{ role: 'user', content: `Task ${a.task.id}, attempt ${a.attempt}: ${a.task.title}` }], temperature: 0 });
    const ran = await recordedTool(recorder, 'shell', { command: `echo ${answer.text}` }, async () => ({ exitCode: 0, stdout: `${answer.text}\n` }));
    const telemetry = { tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, latencyMs: 1, costUsd: answer.costUsd, model: answer.model };
    if (a.task.id === 'flaky' && a.attempt === 1) return { status: 'failed', summary: 'first try fails', telemetry };
    return { status: 'succeeded', summary: `did ${a.task.id}`, output: { said: answer.text, stdout: ran.stdout }, telemetry };
  };
}

describeStores('Replaying a run from its record', (ctx) => {
  let standIn: StandIn;
  let h: Harness;
  let original: string;

  before(async function () {
    this.timeout(60_000);
    standIn = await startOpenAIStandIn({ apiKey: TEST_KEY, fallback: (r) => ({ kind: 'answer', text: `ok:${/Task (\S+), attempt (\d+)/.exec(r.promptText)?.slice(1).join('#')}`, tokensIn: 40, tokensOut: 8 }) });
    const recorder = createCallRecorder({ store: ctx.store, mode: 'record', events: testCore(ctx.store).events });
    const provider = providerFor(harnesses[0]!, standIn, { recorder }, { costTable: { inputPerMTok: 1000, outputPerMTok: 4000 } });
    const employee = modelEmployee(() => provider, recorder);
    h = await startManager(ctx.store, { behaviour: (a) => employee(a), options: { backoffMs: [10] } });
    const run = await h.orchestrator.runs.submit({ prd }, 'director');
    original = run.id;
    const gate = await waitFor(ctx.store, async () => (await h.orchestrator.runs.get(run.id)).tasks.find((t) => t.key === 'gate' && t.status === 'awaiting_approval'));
    await h.orchestrator.tasks.resolveApproval(gate.id, { approved: true, by: 'director' });
    await waitForRun(ctx.store, h.orchestrator, run.id, ['succeeded']);
    // Nothing answers any more: a call the replay made for real would fail.
    await standIn.close();
  });
  after(async () => {
    await h?.stop();
  });

  const settledReport = (runId: string) => waitFor(ctx.store, async () => {
    const report = await h.orchestrator.replays.report(runId);
    return report.final ? report : null;
  }, 30_000, `the report of replay ${runId}`);

  it('replays the run with the stand-in stopped: the same tasks, answers and verdicts, the approval answered as before, at no cost', async function () {
    this.timeout(60_000);
    const origin = await h.orchestrator.runs.get(original);
    assert.ok(origin.costUsd > 0, 'the original paid for its model calls');
    const replay = await h.orchestrator.replays.start({ runId: original }, 'director');
    assert.equal(replay.replayOf, original);
    const done = await waitForRun(ctx.store, h.orchestrator, replay.id, ['succeeded', 'blocked', 'partial']);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.tasks.map((t) => [t.key, t.status, t.lastError])));
    const report = await settledReport(replay.id);
    assert.equal(report.diverged, false, report.firstDivergence ?? '');
    assert.deepEqual(report.tasks.map((t) => [t.key, t.differences, t.replay?.attempt]), [['a', [], 1], ['flaky', [], 2], ['gate', [], 1], ['ship', [], 1]]);
    assert.deepEqual([report.costUsd, report.ledgerUsd, done.costUsd], [0, 0, 0]);
    assert.equal(report.originalCostUsd, origin.costUsd);
    const outputs = (r: typeof done) => r.tasks.map((t) => [t.key, t.result?.output ?? null]);
    assert.deepEqual(outputs(done), outputs(await h.orchestrator.runs.get(original)));
    const [granted] = await h.orchestrator.events.query({ runId: replay.id, types: ['ApprovalGranted'], limit: 1 });
    assert.equal((granted!.payload as { by: string }).by, 'replay:director');
    const [compared] = await h.orchestrator.events.query({ runId: replay.id, types: ['ReplayCompared'], limit: 1 });
    assert.deepEqual(compared!.payload, { originalRunId: original, diverged: false, tasks: 4, matching: 4, costUsd: 0, firstDivergence: null });
  });

  it('reports the divergence where a recorded answer was edited, naming the call the record lacks, and never calls out', async function () {
    this.timeout(60_000);
    const edited = await ctx.store.query(
      `UPDATE aura.call_records SET outcome_json = replace(outcome_json, 'ok:flaky#2', 'edited answer') WHERE run_id = $1 AND session = 'flaky#2' AND kind = 'model' RETURNING key`,
      [original],
    );
    assert.equal(edited.rows.length, 1);
    const replay = await h.orchestrator.replays.start({ runId: original }, 'director');
    await waitForRun(ctx.store, h.orchestrator, replay.id, ['blocked', 'partial', 'succeeded']);
    const report = await settledReport(replay.id);
    assert.equal(report.diverged, true);
    const [first] = report.divergences;
    assert.deepEqual([first?.taskKey, first?.attempt, first?.kind, first?.model, first?.reason], ['flaky', 2, 'tool', 'shell', 'missing']);
    assert.match(report.firstDivergence!, new RegExp(`task flaky, attempt 2: tool call tool shell \\(key ${first!.callKey}, repeat 1\\) is not in the record`));
    assert.deepEqual(report.tasks.find((t) => t.key === 'flaky')!.differences, ['status']);
    const flaky = (await h.orchestrator.runs.get(replay.id)).tasks.find((t) => t.key === 'flaky')!;
    assert.equal(flaky.status, 'dead_letter');
    assert.match(flaky.lastError ?? '', new RegExp(`diverged at task flaky, attempt 2: its tool call tool shell \\(key ${first!.callKey}`));
  });
});
