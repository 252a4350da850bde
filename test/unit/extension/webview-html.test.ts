// The dashboard webview's HTML shell: a strict CSP, one nonce per script, the route escaped.
import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, dashboardHtml } from '../../../extension/webview/webview-html';

const input = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dashboard.js', styleUri: 'https://x/dashboard.css', route: { view: 'overview' as const, runId: 'r"<1>' } };

describe('dashboard webview HTML', () => {
  it("starts its CSP from default-src 'none' and allows scripts only with the nonce", () => {
    const csp = contentSecurityPolicy(input.cspSource, 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it('puts the nonce on every script tag', () => {
    const html = dashboardHtml({ ...input, nonce: 'n0nce' });
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.ok(scripts.length >= 1);
    for (const s of scripts) assert.match(s, /nonce="n0nce"/);
  });

  it('makes a new nonce each time', () => {
    assert.notEqual(createNonce(), createNonce());
    assert.ok(createNonce().length >= 20);
  });

  it('escapes the route it embeds', () => {
    const html = dashboardHtml(input);
    assert.doesNotMatch(html, /r"<1>/);
    assert.match(html, /data-route="\{&quot;view&quot;:&quot;overview&quot;,&quot;runId&quot;:&quot;r\\&quot;&lt;1&gt;&quot;\}"/);
  });
});
