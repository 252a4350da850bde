// What the console shows of work real agents did: Gemini CLI and Qwen Code (from the npm registry, in their images)
// finish a run in which one task is retried by the other agent after a failed verification and one is dead-lettered;
// a real `aura serve` on the same database then serves the dashboard, and chromium reads the run, the retried task's
// evidence (diff, runlog, acceptance, verdicts, model calls with tokens and cost) and the leaderboard. The
// screenshots are the README's.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RunDetail } from '../../core/runs/run-queries';
import { type AuraServe, startAuraServe } from '../e2e/support/aura-serve';
import { collectErrors, launchBrowser, shot } from '../e2e/support/browser';
import type { ProtocolRequest, Scripted } from '../support/stand-ins/stand-in-server';
import { type AgentRig, startAgentRig } from './agent-rig';
import { inspectCommand } from './agent-script';

const prd = `# Greetings page

The site greets its visitors in the words each agent writes.

## Tasks

1. [greet-gemini] Write the Gemini greeting (skills: gemini-cli) (scope: out/gemini.txt)
   - \`grep -qx "hello from gemini" out/gemini.txt\`
2. [greet-qwen] Write the Qwen greeting (skills: qwen-code) (scope: out/qwen.txt)
   - \`grep -qx "hello from qwen" out/qwen.txt\`
3. [summary] Summarise both greetings (after: 1, 2) (scope: out/summary.txt)
   - \`grep -qx "2 greetings" out/summary.txt\`
4. [translate] Translate the greetings to Klingon (attempts: 1) (after: 1) (scope: out/klingon.txt)
   - \`grep -q "nuqneH" out/klingon.txt\`
`;

/** Who wrote the summary first: that agent gets it wrong, the next one right. */
let firstSummariser: string | null = null;

/** What the file of each scope gets, by who writes it. */
function contentFor(file: string, employee: string): string {
  if (file === 'out/gemini.txt') return 'hello from gemini';
  if (file === 'out/qwen.txt') return 'hello from qwen';
  if (file === 'out/summary.txt') {
    firstSummariser ??= employee;
    return employee === firstSummariser ? 'two greetings, more or less' : '2 greetings';
  }
  return 'hello (no Klingon here)';
}

/** The stand-ins' script for this run: write the scope's file with the agent's own tool, run a command, sum up. */
function conversation(request: ProtocolRequest): Scripted {
  const tools = request.body.tools;
  // The task's prompt is the user's message; some protocols' promptText is the agent's system prompt, so the body is read too.
  const body = JSON.stringify(request.body);
  const file = /Change only files matching these paths:\n- `([^`]+)`/.exec(request.promptText)?.[1] ?? /Change only files matching these paths:\\n- `([^`]+)`/.exec(body)?.[1];
  const employee = /You are ([a-z0-9-]+), a coding agent/.exec(request.promptText)?.[1] ?? /You are ([a-z0-9-]+), a coding agent/.exec(body)?.[1] ?? '';
  // Side calls of the agent itself (Qwen Code's memory-extraction subagent) get a plain answer.
  const sideCall = /subagent/.test(request.promptText.slice(0, 200));
  if (!Array.isArray(tools) || tools.length === 0 || !file || sideCall) return { kind: 'answer', text: 'ok', tokensIn: 50, tokensOut: 2 };
  if (/"functionResponse"|"tool_result"|"role":"tool"|"function_call_output"/.test(body)) {
    return { kind: 'answer', text: `Wrote ${file} and looked at it.`, tokensIn: 1400, tokensOut: 24 };
  }
  return {
    kind: 'answer',
    text: '',
    toolCalls: [
      { name: 'write_file', arguments: { file_path: `/workspace/${file}`, content: `${contentFor(file, employee)}\n` } },
      { name: 'run_shell_command', arguments: { command: `cat ${file}; ${inspectCommand.split(';')[0]}`, description: 'look at the result' } },
    ],
    tokensIn: 1100,
    tokensOut: 90,
  };
}

describe('the console on a run that real agents finished', function () {
  this.timeout(600_000);
  let rig: AgentRig;
  let run: RunDetail;
  let aura: AuraServe;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async function () {
    this.timeout(600_000);
    rig = await startAgentRig(['gemini-cli', 'qwen-code'], { conversation });
    await rig.hire('gemini-cli', { name: 'gemini-ada' });
    await rig.hire('qwen-code', { name: 'qwen-bo' });
    const submitted = await rig.orchestrator.runs.submit({ prd, workspace: rig.repo('greetings'), title: 'Greetings page' }, 'director');
    run = await rig.waitForRun(submitted.id, ['succeeded', 'partial', 'blocked', 'failed', 'cancelled']);
    // The same database and home: the served dashboard reads the run and its repository as the Manager left them.
    aura = await startAuraServe('aura-serve-agents-console', { DATABASE_URL: rig.db.url, AURA_HOME: rig.home, AURA_AUDIT_KEY: 'agents-audit-key-0123456789abcdef' });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    errors = collectErrors(page);
    page.on('response', (r) => {
      // Every answer of the dashboard's own requests succeeds (the browser's own favicon request may be a 404).
      if (r.status() >= 400) void r.text().then((t) => errors.push(`HTTP ${r.status()} ${r.url()} ${r.request().postData()?.slice(0, 300)} -> ${t.slice(0, 300)}`), () => undefined);
    });
    await page.goto(aura.uiUrl);
    await page.fill('input[name=token]', aura.token);
    await page.click('button[type=submit]');
  });
  after(async function () {
    this.timeout(60_000);
    await browser?.close();
    await aura?.stop();
    await rig?.close();
  });

  const task = (key: string) => run.tasks.find((t) => t.key === key)!;

  it('ran as planned: three tasks done, the summary retried by the other agent, the translation dead-lettered', async () => {
    assert.equal(run.status, 'partial', JSON.stringify(run.tasks.map((t) => [t.key, t.status, t.attempt, t.lastError])));
    assert.deepEqual(run.tasks.map((t) => [t.key, t.status]), [['greet-gemini', 'succeeded'], ['greet-qwen', 'succeeded'], ['summary', 'succeeded'], ['translate', 'dead_letter']]);
    const assigned = await rig.orchestrator.events.query({ runId: run.id, types: ['TaskAssigned'], limit: 50 });
    const summaryBy = assigned.filter((e) => e.taskId === task('summary').id).map((e) => (e.payload as { employeeId: string }).employeeId);
    assert.equal(summaryBy.length, 2, 'the summary took two attempts');
    assert.notEqual(summaryBy[0], summaryBy[1], 'the second attempt went to the other agent');
  });

  it('shows the finished run with its plan, its cost and the dead letter', async () => {
    await page.locator('.run-item', { hasText: 'Greetings page' }).click({ timeout: 30_000 });
    await page.locator('[data-testid="dag"]').waitFor({ timeout: 30_000 });
    await page.locator('.run-summary', { hasText: '3 of 4 tasks done' }).waitFor({ timeout: 15_000 });
    assert.notEqual(await page.locator('.run-summary').innerText(), '', 'the summary line');
    await page.waitForTimeout(300);
    await shot(page, 'agents-run');
  });

  it("shows the retried task's evidence: the diff, the runlog, the acceptance run, the verdicts and the model calls", async () => {
    await page.locator('.dag-node', { hasText: 'Summarise both greetings' }).click();
    await page.locator('h2', { hasText: 'Summarise both greetings' }).waitFor({ timeout: 15_000 });
    const evidence = page.locator('section[aria-label="Evidence"]');
    await evidence.locator('details.evidence').first().waitFor({ timeout: 15_000 });
    const text = await evidence.innerText();
    for (const part of ['Diff', '+2 greetings', 'Runlog', 'Acceptance', 'Verification', 'Model calls']) assert.ok(text.includes(part), `the evidence shows ${part}`);
    assert.match(text, /attempt 1[\s\S]*two greetings, more or less|two greetings, more or less[\s\S]*attempt 1/, 'the failed first attempt is shown too');
    await page.locator('section[aria-label^="Commit diff"] pre.diff').waitFor({ timeout: 15_000 });
    await shot(page, 'agents-task-evidence');
  });

  it("ranks both agents on the leaderboard by what they delivered", async () => {
    await page.locator('.tab', { hasText: 'Leaderboard' }).click();
    for (const name of ['gemini-ada', 'qwen-bo']) await page.locator('td', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await shot(page, 'agents-leaderboard');
    assert.deepEqual(errors.filter((e) => !/^Failed to load resource: the server responded with a status of 404/.test(e)), []);
  });
});
