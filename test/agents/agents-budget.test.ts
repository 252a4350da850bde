// A budget crossed in the middle of a real agent's attempt: the gateway refuses the call, the worker stops the agent's
// container, and the attempt ends recorded as over budget, its calls' cost in the ledger.
import assert from 'node:assert/strict';
import type { ProtocolRequest, Scripted } from '../support/stand-ins/stand-in-server';
import { type AgentRig, startAgentRig } from './agent-rig';
import { agentConversation, greetingOf } from './agent-script';

/** The first answer reports 20,000 prompt tokens ($0.06 at $3/M): more than the run's whole budget. */
function dearConversation(request: ProtocolRequest): Scripted {
  const answer = agentConversation(request);
  return answer.kind === 'answer' && answer.toolCalls ? { ...answer, tokensIn: 20_000 } : answer;
}

describe('a real agent over budget mid-attempt', function () {
  this.timeout(300_000);
  let rig: AgentRig;
  let runId: string;
  let taskId: string;

  before(async function () {
    this.timeout(300_000);
    rig = await startAgentRig(['gemini-cli'], { conversation: dearConversation });
    await rig.hire('gemini-cli');
    const { file, line } = greetingOf('gemini-cli');
    const prd = `# Over budget\n\n## Tasks\n\n1. [gemini-cli] Write the greeting (skills: gemini-cli) (scope: ${file})\n   - \`grep -qx "${line}" ${file}\`\n`;
    // $0.05: the first call's prompt (about 50 KB, so some $0.04 by the gateway's estimate) may go; its answer crosses.
    const run = await rig.orchestrator.runs.submit({ prd, workspace: rig.repo('over-budget'), budgetUsd: 0.05 }, 'director');
    runId = run.id;
    const until = Date.now() + 240_000;
    for (;;) {
      const detail = await rig.orchestrator.runs.get(runId);
      taskId = detail.tasks[0]!.id;
      const rows = await rig.core.store.query(`SELECT 1 FROM aura.task_runlog WHERE task_id = $1 AND attempt = 1 AND kind = 'agent'`, [taskId]);
      if (rows.rowCount && detail.tasks[0]!.attempt >= 1 && detail.tasks[0]!.status !== 'running') break;
      if (Date.now() > until) throw new Error(`the attempt did not end: ${JSON.stringify(detail.tasks)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async function () {
    this.timeout(60_000);
    await rig?.close();
  });

  it('the call whose answer crossed the run budget set the grant refused, as over budget', async () => {
    const detail = await rig.orchestrator.runs.get(runId);
    assert.match(String(detail.tasks[0]!.lastError), /budget_exceeded/);
    const completed = (await rig.core.store.query<{ payload: { attempt: number; costUsd: number } }>(`SELECT payload FROM aura.events WHERE run_id = $1 AND type = 'GatewayCallCompleted'`, [runId])).rows.filter((r) => r.payload.attempt === 1);
    assert.ok(completed.some((r) => r.payload.costUsd >= 0.06), `the dear call was metered: ${JSON.stringify(completed.map((r) => r.payload.costUsd))}`);
  });

  it("the worker stopped the agent's container before the agent finished", async () => {
    const [entry] = await rig.runlogs.read(taskId, 1).then((e) => e.filter((x) => x.kind === 'agent'));
    assert.equal(entry!.reason, 'killed', `the agent ended ${entry!.reason}, exit ${entry!.exitCode}`);
    // Its final turn never reached the model: the stand-in saw the tool-call turn and no answer to its results.
    const finals = rig.standIns.gemini.calls.filter((c) => /"functionResponse"/.test(JSON.stringify(c.body)) && c.outcome === 'answer');
    assert.equal(finals.length, 0);
  });

  it('the attempt ended recorded as over budget, the cost of its calls in its ledger row', async () => {
    const detail = await rig.orchestrator.runs.get(runId);
    assert.match(String(detail.tasks[0]!.lastError), /Over budget/);
    const rows = (await rig.core.store.query<{ source: string; cost_usd: string }>(`SELECT source, cost_usd FROM aura.cost_ledger WHERE run_id = $1 AND task_id = $2 AND attempt = 1`, [runId, taskId])).rows;
    const calls = rows.filter((r) => r.source === 'call').reduce((s, r) => s + Number(r.cost_usd), 0);
    const attempt = rows.find((r) => r.source === 'attempt');
    assert.ok(calls >= 0.06, `the dear call is in the ledger (${calls})`);
    assert.ok(attempt && Math.abs(Number(attempt.cost_usd) - calls) < 1e-9, `the attempt's row carries it: ${JSON.stringify(rows)}`);
  });
});
