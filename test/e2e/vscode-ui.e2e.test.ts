// The extension in a real VS Code (code-server) against a real `aura serve`, driven through its UI by chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type AuraServe, startAuraServe } from './support/aura-serve';
import { clearNotifications, collectErrors, launchBrowser, runCommand, shot, toast, viewRow, webview } from './support/browser';
import { type CodeServer, installVsix, prepareProfile, startCodeServer } from './support/code-server';
import { arrangeRunInProgress, type Arranged } from './support/arrange';

describe('the VS Code extension in code-server', function () {
  this.timeout(120_000);
  let aura: AuraServe;
  let code: CodeServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let arranged: Arranged;

  before(async () => {
    aura = await startAuraServe('aura-serve-vscode-ui');
    arranged = await arrangeRunInProgress(aura);
    const profile = prepareProfile('vscode-ui', { 'aura.serverUrl': aura.mcpUrl, 'aura.offerLocalOrchestrator': false });
    fs.writeFileSync(path.join(profile.workspace, 'login-prd.md'), '# Login page\n\nUsers sign in with email and password.\n\n## Acceptance\n\n- a wrong password shows an error\n');
    installVsix(profile);
    code = await startCodeServer('code-server-vscode-ui', profile);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    errors = collectErrors(page);
    await page.goto(`${code.url}/?folder=${encodeURIComponent(code.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await code?.stop();
    await aura?.stop();
  });

  it('shows the Aura Orchestra icon in the activity bar', async () => {
    const icon = page.locator('.activitybar .action-item a[aria-label^="Aura Orchestra"], .activitybar .action-item[aria-label^="Aura Orchestra"]').first();
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    await page.locator('.pane-header', { hasText: 'Runs' }).waitFor();
    await page.waitForTimeout(800);
    await shot(page, 'vscode-activity-bar');
  });

  it('connects once the token is set through "Aura: Set Token" and fills the Runs tree from the server', async () => {
    await runCommand(page, 'Aura: Set Token');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(aura.token);
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: /Aura/ }).filter({ hasNotText: /offline|refused/ }).first().waitFor({ timeout: 30_000 });
    const run = viewRow(page, 'Runs', arranged.runTitle);
    await run.waitFor({ timeout: 30_000 });
    // The twistie expands the run without running its command (a click on the label opens the dashboard).
    await run.locator('.monaco-tl-twistie').click();
    await viewRow(page, 'Runs', arranged.taskTitle).first().waitFor({ timeout: 30_000 });
    await clearNotifications(page);
    await page.waitForTimeout(500);
    await shot(page, 'vscode-runs-tree');
    const text = await page.locator('.pane-body').first().innerText();
    assert.match(text, new RegExp(arranged.runTitle));
  });

  it('opens the dashboard webview with the run plan drawn as a graph', async () => {
    await runCommand(page, 'Aura: Open Dashboard');
    const view = webview(page);
    await view.locator('[data-testid="dag"]').waitFor({ timeout: 30_000 });
    const nodes = await view.locator('.dag-node').count();
    assert.ok(nodes >= arranged.taskCount, `expected ${arranged.taskCount} nodes in the graph, saw ${nodes}`);
    await clearNotifications(page);
    await page.waitForTimeout(500);
    await shot(page, 'vscode-dashboard-dag');
    assert.deepEqual(errors.filter((e) => /Content Security Policy|Refused to/.test(e)), []);
  });

  it('submits a PRD from the open Markdown file', async () => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('login-prd.md');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'login-prd.md' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'login-prd.md' }).waitFor();
    await page.locator('.editor-actions [aria-label^="Submit PRD"]').first().click();
    // The phase templates are offered first; "No template" plans the open PRD as written.
    const plain = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'No template' }).first();
    await plain.waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await shot(page, 'vscode-template-picker');
    await plain.click();
    await page.locator('.monaco-dialog-box').waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'vscode-submit-prd');
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Submit' }).click();
    await toast(page, /Submitted "Login page"/).waitFor({ timeout: 30_000 });
    await viewRow(page, 'Runs', 'Login page').first().waitFor({ timeout: 30_000 });
  });

  it('approves a pending approval from the Approvals view', async () => {
    const header = page.locator('.pane-header', { hasText: 'Approvals' });
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const row = viewRow(page, 'Approvals', arranged.approvalTitle).first();
    await row.waitFor({ timeout: 30_000 });
    // Selecting the approval previews it beside; its inline actions are then shown on the row.
    await row.click();
    await page.locator('.editor-instance .view-lines', { hasText: `# ${arranged.approvalTitle}` }).first().waitFor({ timeout: 15_000 });
    await clearNotifications(page);
    await row.hover();
    await page.waitForTimeout(500);
    await shot(page, 'vscode-approvals');
    await row.locator('.actions .action-label[aria-label*="Approve"], .actions .action-label[title*="Approve"]').first().click();
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Approve' }).click();
    await toast(page, /Approved/).waitFor({ timeout: 30_000 });
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await arranged.pendingApprovals(), 0);
  });

  it("opens the run's group chat from the palette: a message posted elsewhere shows live, then the Director's own post", async () => {
    await runCommand(page, 'Aura: Open Run Chat');
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: arranged.runTitle }).first();
    await pick.waitFor({ timeout: 15_000 });
    await pick.click();
    const view = webview(page);
    await view.locator('section[aria-label^="Chat of run"]').waitFor({ timeout: 30_000 });
    const client = await aura.client();
    await client.call('post_message', { runId: arranged.runId, text: 'The sign-in copy is approved by legal.' });
    await view.locator('.chat-entry.chat-director', { hasText: 'The sign-in copy is approved by legal.' }).waitFor({ timeout: 15_000 });
    await view.locator('textarea[aria-label="Message"]').fill('Ship the error message as written.');
    await view.locator('.chat-compose button', { hasText: 'Post' }).click();
    await view.locator('.chat-entry.chat-director', { hasText: 'Ship the error message as written.' }).waitFor({ timeout: 15_000 });
    const chat = (await client.call('get_chat', { runId: arranged.runId })) as { entries: Array<{ text?: string }> };
    assert.ok(chat.entries.some((e) => e.text === 'Ship the error message as written.'), 'the post from VS Code is in the run chat');
    await clearNotifications(page);
    await page.waitForTimeout(500);
    await shot(page, 'vscode-chat');
  });

  it('marks a replay as Replaying in the Runs tree', async () => {
    const client = await aura.client();
    await client.call('replay_run', { runId: arranged.runId });
    const row = viewRow(page, 'Runs', `Replay of ${arranged.runTitle}`).first();
    await row.waitFor({ timeout: 30_000 });
    await row.locator('.label-description', { hasText: /^Replaying · / }).waitFor({ timeout: 30_000 });
    await clearNotifications(page);
    await shot(page, 'vscode-runs-replaying');
  });
});
