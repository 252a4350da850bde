// Debian's chromium driven by playwright-core, and the workbench gestures the suites use (palette, trees, webviews, screenshots).
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type FrameLocator, type Page } from 'playwright-core';
import { ROOT } from './daemons';

export const IMAGES = path.join(ROOT, 'docs', 'images');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.AURA_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves a screenshot under docs/images (the README shows them). */
export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(IMAGES, { recursive: true });
  const file = path.join(IMAGES, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Dismisses every notification toast (so a screenshot shows the view, not old messages). */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined); // none was showing
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Types into the open quick input (an input box or a quick pick) and accepts. */
export async function answerQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

export function treeRow(page: Page, text: string | RegExp) {
  return page.locator('.pane-body .monaco-list-row', { hasText: text });
}

/** A row of one view (pane) of the side bar, by the view's title. */
export function viewRow(page: Page, view: string, text: string | RegExp) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: view }) }).locator('.monaco-list-row', { hasText: text });
}

export function toast(page: Page, text: string | RegExp) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/** The dashboard webview's document (VS Code nests it in two iframes). */
export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Console errors of a page, kept for assertions and for the failure message. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
