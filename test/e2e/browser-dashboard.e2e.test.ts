// The browser dashboard served by a real `aura serve` on its UI port: token login, the views, keyboard use, narrow widths.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Arranged, arrangeRunInProgress, checkoutPrd } from './support/arrange';
import { type AuraServe, startAuraServe } from './support/aura-serve';
import { parseOne, runSchema } from '../../webview-ui/protocol/aura-data';
import { collectErrors, launchBrowser, shot } from './support/browser';

describe('the browser dashboard', function () {
  this.timeout(120_000);
  let aura: AuraServe;
  let arranged: Arranged;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  before(async () => {
    aura = await startAuraServe('aura-serve-browser');
    arranged = await arrangeRunInProgress(aura);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    errors = collectErrors(page);
  });

  after(async () => {
    await browser?.close();
    await aura?.stop();
  });

  it('asks for a token and refuses a wrong one', async () => {
    await page.goto(aura.uiUrl);
    assert.match(page.url(), /\/login$/);
    await page.fill('input[name=token]', 'aura_not_a_real_token_0000000000000000');
    await page.click('button[type=submit]');
    await page.locator('.error', { hasText: 'refused' }).waitFor();
    await shot(page, 'browser-login');
  });

  it('refuses the MCP relay without a session and serves no file but the bundle', async () => {
    const anonymous = await fetch(`${aura.uiUrl}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(anonymous.status, 401);
    for (const p of ['/assets/..%2Fpackage.json', '/assets/aura.js', '/assets/%2e%2e%2f%2e%2e%2fpackage.json']) {
      assert.equal((await fetch(`${aura.uiUrl}${p}`)).status, 404, `${p} is not served`);
    }
  });

  it('signs in and shows the run in progress with its plan as a graph', async () => {
    await page.fill('input[name=token]', aura.token);
    await page.click('button[type=submit]');
    await page.locator('.run-item', { hasText: arranged.runTitle }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="dag"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.dag-node').count(), arranged.taskCount);
    assert.equal(await page.locator('.dag-edge').count() > 0, true);
    await page.waitForTimeout(300);
    await shot(page, 'browser-overview');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'aura_session');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session?.sameSite, 'Strict');
    const foreign = await fetch(`${aura.uiUrl}/mcp`, { method: 'POST', headers: { cookie: `aura_session=${session!.value}`, origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(foreign.status, 403);
  });

  it('opens a task from the graph with the keyboard', async () => {
    const first = page.locator('.dag-node').first();
    await first.focus();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'Task' }).waitFor();
    await page.locator('h2', { hasText: arranged.taskTitle }).waitFor({ timeout: 15_000 });
    await page.locator('section[aria-label="Evidence"]').waitFor();
    await shot(page, 'browser-task');
  });

  it('shows the run timeline from the audit log', async () => {
    await page.locator('.tab', { hasText: 'Timeline' }).click();
    await page.locator('.timeline li', { hasText: 'RunStarted' }).waitFor({ timeout: 15_000 });
    assert.ok((await page.locator('.timeline li').count()) >= arranged.taskCount);
    await shot(page, 'browser-timeline');
  });

  it('shows two plan versions side by side after a replan', async () => {
    // A small replan (one task's skills) applies at once as version 2.
    const client = await aura.client();
    const revised = checkoutPrd.replace('4. Document the checkout API (kind: doc)', '4. Document the checkout API (kind: doc) (skills: writing)');
    await client.call('replan_run', { runId: arranged.runId, prd: revised });
    await page.locator('.tab', { hasText: 'Plan' }).click();
    await page.locator('[data-testid="plan-diff-summary"]', { hasText: '1 changed' }).waitFor({ timeout: 15_000 });
    const changed = page.locator('table[aria-label="Plan versions side by side"] tr[data-change="changed"]');
    assert.equal(await changed.count(), 1);
    assert.match(await changed.innerText(), /document-the-checkout-api[\s\S]*skills/);
    assert.equal(await page.locator('table[aria-label="Plan versions side by side"] tr[data-change="same"]').count(), arranged.taskCount - 1);
    assert.equal(await changed.locator('.pv-changed').count() >= 2, true, 'the changed field is marked on both sides');
    await shot(page, 'browser-plan-versions');
    await page.selectOption('select[aria-label="From"]', '2');
    await page.locator('[data-testid="plan-diff-summary"]', { hasText: `0 changed · ${arranged.taskCount} unchanged` }).waitFor({ timeout: 15_000 });
  });

  it("shows the run's chat live: a message posted elsewhere about a task, then the Director's own post", async () => {
    await page.locator('.tab', { hasText: 'Chat' }).click();
    await page.locator('section[aria-label^="Chat of run"] .empty', { hasText: 'Nothing said yet.' }).waitFor({ timeout: 15_000 });
    const client = await aura.client();
    const task = ((await client.call('list_tasks', { runId: arranged.runId })) as { tasks: Array<{ id: string; title: string }> }).tasks.find((t) => t.title === arranged.taskTitle)!;
    await client.call('post_message', { runId: arranged.runId, text: 'Checkout copy is final; go ahead.', taskId: task.id });
    const posted = page.locator('.chat-entry.chat-director', { hasText: 'Checkout copy is final; go ahead.' });
    await posted.waitFor({ timeout: 15_000 });
    await page.locator('textarea[aria-label="Message"]').fill('Keep the payment step behind the flag.');
    await page.locator('.chat-compose button', { hasText: 'Post' }).click();
    await page.locator('.chat-entry.chat-director', { hasText: 'Keep the payment step behind the flag.' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('textarea[aria-label="Message"]').inputValue(), '', 'the box is emptied once posted');
    await shot(page, 'browser-chat');
    await posted.locator('.chat-links a', { hasText: `task ${task.id}` }).click();
    await page.locator('.tab.active', { hasText: 'Task' }).waitFor();
    await page.locator('h2', { hasText: arranged.taskTitle }).waitFor({ timeout: 15_000 });
  });

  it('shows the leaderboard with the employees', async () => {
    await page.locator('.tab', { hasText: 'Leaderboard' }).click();
    await page.locator('td', { hasText: arranged.employeeName }).waitFor({ timeout: 15_000 });
    await shot(page, 'browser-leaderboard');
  });

  it('rejects a pending approval with a reason', async () => {
    await page.locator('.tab', { hasText: 'Approvals' }).click();
    const card = page.locator('.approval', { hasText: arranged.approvalTitle });
    await card.waitFor({ timeout: 15_000 });
    await shot(page, 'browser-approvals');
    const reject = card.locator('button', { hasText: 'Reject' });
    assert.equal(await reject.isDisabled(), true, 'a rejection needs a reason first');
    await card.locator('input').fill('we use the other provider');
    await reject.click();
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await arranged.pendingApprovals(), 0);
  });

  it('shows costs per run and per employee', async () => {
    await page.locator('.tab', { hasText: 'Costs' }).click();
    await page.locator('table[aria-label="Cost per run"] td', { hasText: arranged.runTitle }).waitFor({ timeout: 15_000 });
    await shot(page, 'browser-costs');
  });

  it('cancels the run from its overview with a reason, and then shows it in the archive', async () => {
    await page.locator('.tab', { hasText: 'Runs' }).click();
    const cancel = page.locator('.controls button', { hasText: 'Cancel run' });
    await cancel.waitFor({ timeout: 15_000 });
    assert.equal(await cancel.isDisabled(), true, 'cancelling needs a reason first');
    await page.locator('.controls input').fill('the checkout flow moves to next quarter');
    await cancel.click();
    await page.locator('.run-summary .badge', { hasText: 'cancelled' }).waitFor({ timeout: 15_000 });
    await page.locator('.tab', { hasText: 'Archive' }).click();
    await page.locator('.side .run-item', { hasText: arranged.runTitle }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="dag"]').waitFor({ timeout: 15_000 });
    await shot(page, 'browser-archive');
  });

  it('travels in time along the timeline: the run as it stood at an earlier event', async () => {
    await page.locator('.run-item', { hasText: arranged.runTitle }).first().click();
    await page.locator('.tab', { hasText: 'Timeline' }).click();
    const slider = page.locator('[data-testid="time-slider"]');
    await slider.waitFor({ timeout: 15_000 });
    const last = Number(await slider.getAttribute('max'));
    assert.ok(last > 5, `the run has ${last} events`);
    await page.locator('[data-testid="time-state"] .badge', { hasText: 'cancelled' }).waitFor({ timeout: 15_000 });
    // Back to the third event: the run was running then, and no task had finished.
    await slider.fill('3');
    await slider.dispatchEvent('change');
    await page.locator('section[aria-label^="Run at event 3 of"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="time-state"] .badge', { hasText: 'running' }).waitFor({ timeout: 15_000 });
    // Or from an event of the timeline: right after the approval was asked for, every task queued, none done.
    await page.locator('.timeline li', { hasText: 'ApprovalRequested' }).first().locator('text=state here').click();
    await page.locator('[data-testid="time-state"]', { hasText: '1 approval waiting' }).waitFor({ timeout: 15_000 });
    const nodes = page.locator('section[aria-label^="Run at event"] .dag-node');
    await nodes.first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    assert.equal(await nodes.count(), arranged.taskCount);
    await shot(page, 'browser-time-travel');
  });

  it('marks a replay as Replaying in the run list and on its page', async () => {
    const client = await aura.client();
    // The whole plan replays from the record (nothing ran: the employee is suspended); the approval is answered as before.
    const replay = parseOne(await client.call('replay_run', { runId: arranged.runId }), 'run', runSchema)!;
    assert.equal(replay.replayOf, arranged.runId);
    await page.locator('.tab', { hasText: 'Runs' }).click();
    const item = page.locator('.run-item', { hasText: `Replay of ${arranged.runTitle}` });
    await item.locator('[data-testid="replaying"]').waitFor({ timeout: 15_000 });
    await item.click();
    await page.locator('.run-summary [data-testid="replaying"]').waitFor({ timeout: 15_000 });
    await shot(page, 'browser-replaying');
  });

  it('stays readable at a phone width', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.locator('.tab', { hasText: 'Archive' }).click();
    await page.locator('[data-testid="dag"]').waitFor({ timeout: 15_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px (only the graph may)`);
    await shot(page, 'browser-narrow');
  });

  it('ran without script errors or CSP violations', () => {
    const bad = errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|404)/.test(e));
    assert.deepEqual(bad, []);
  });
});
