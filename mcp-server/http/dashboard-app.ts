// The browser dashboard on AURA_UI_PORT: token login, the dashboard bundle, and /mcp relayed to the MCP endpoint with the session's token.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Logger } from '../../core/observability/logger';

export interface DashboardAppOptions {
  /** The folder holding dashboard.js and dashboard.css (dist/webview). */
  assetsDir: string;
  /** The MCP endpoint the dashboard's MCP client is relayed to. */
  mcpUrl: string;
  logger: Logger;
  sessionTtlMs?: number;
  now?: () => number;
}

const COOKIE = 'aura_session';
const MAX_SESSIONS = 1000;
const assets: Record<string, string> = { 'dashboard.js': 'text/javascript; charset=utf-8', 'dashboard.css': 'text/css; charset=utf-8' };
/** Request headers the relay passes on; everything else (cookies, Origin, Host) stays here. */
const relayedRequestHeaders = ['accept', 'content-type', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'];
const relayedResponseHeaders = ['content-type', 'mcp-session-id', 'mcp-protocol-version', 'cache-control', 'www-authenticate'];

const pageCsp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const securityHeaders = { 'content-security-policy': pageCsp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

export function dashboardAssetsDir(): string {
  // Bundled, this module is dist/aura.js (assets beside it); from source, the assets are in the built dist/.
  return __dirname.includes(`${path.sep}dist`) ? path.join(__dirname, 'webview') : path.join(__dirname, '..', '..', 'dist', 'webview');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function loginPage(error?: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Aura Orchestra — sign in</title><link rel="stylesheet" href="assets/dashboard.css"></head>
<body class="browser"><main class="login"><h1>Aura Orchestra</h1>
<p class="muted">Sign in with an MCP token (create one with <code>aura tokens create --role director</code>).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="login"><label>Token <input name="token" type="password" autocomplete="current-password" required autofocus></label>
<button class="btn primary" type="submit">Sign in</button></form></main></body></html>`;
}

const appPage = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Aura Orchestra</title><link rel="stylesheet" href="assets/dashboard.css"></head>
<body><div id="app" data-host="browser"></div><script src="assets/dashboard.js"></script></body></html>`;

export interface DashboardApp {
  app: Hono;
  /** Forgets every session (on shutdown). */
  close(): void;
}

export function createDashboardApp(options: DashboardAppOptions): DashboardApp {
  const ttl = options.sessionTtlMs ?? 12 * 3_600_000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, { token: string; until: number }>();
  const app = new Hono();

  const tokenOf = (sid: string | undefined): string | undefined => {
    if (!sid) return undefined;
    const s = sessions.get(sid);
    if (!s) return undefined;
    if (s.until <= now()) {
      sessions.delete(sid);
      return undefined;
    }
    return s.token;
  };

  /** Whether the MCP endpoint accepts a token: an initialize with it, then the session it opened is closed. */
  async function tokenAccepted(token: string): Promise<boolean> {
    const res = await fetch(options.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'aura-dashboard-login', version: '1' } } }),
    });
    await res.body?.cancel();
    const sid = res.headers.get('mcp-session-id');
    if (sid) await fetch(options.mcpUrl, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'mcp-session-id': sid } }).then((r) => r.body?.cancel()).catch(() => undefined); // freeing is best effort
    return res.ok;
  }

  app.get('/login', (c) => c.html(loginPage(), 200, securityHeaders));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    if (!token || token.length > 500) return c.html(loginPage('Enter a token.'), 400, securityHeaders);
    let ok: boolean;
    try {
      ok = await tokenAccepted(token);
    } catch (error) {
      options.logger.warn({ err: (error as Error).message }, 'dashboard login: the MCP endpoint did not answer');
      return c.html(loginPage('The orchestrator did not answer; try again.'), 503, securityHeaders);
    }
    if (!ok) return c.html(loginPage('That token was refused.'), 401, securityHeaders);
    if (sessions.size >= MAX_SESSIONS) for (const [k, s] of sessions) if (s.until <= now()) sessions.delete(k);
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    const sid = randomBytes(32).toString('base64url');
    sessions.set(sid, { token, until: now() + ttl });
    setCookie(c, COOKIE, sid, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: Math.floor(ttl / 1000) });
    return c.redirect('./', 303);
  });
  app.post('/logout', (c) => {
    const sid = getCookie(c, COOKIE);
    if (sid) sessions.delete(sid);
    deleteCookie(c, COOKIE, { path: '/' });
    return c.redirect('login', 303);
  });

  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const type = assets[name];
    if (!type) return c.text('Not found', 404);
    const file = path.join(options.assetsDir, name);
    if (!fs.existsSync(file)) return c.text(`The dashboard bundle is not built (${name} missing); run npm run build.`, 503);
    return c.body(fs.readFileSync(file), 200, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
  });

  app.get('/', (c) => (tokenOf(getCookie(c, COOKIE)) ? c.html(appPage, 200, securityHeaders) : c.redirect('login', 302)));

  app.all('/mcp', async (c) => {
    const token = tokenOf(getCookie(c, COOKIE));
    if (!token) return c.json({ jsonrpc: '2.0', error: { code: -32001, message: 'Sign in to the dashboard first.' }, id: null }, 401);
    // The cookie is SameSite=Strict; an Origin, when sent, must still be this dashboard's own.
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin) return c.json({ error: 'forbidden', message: `Origin ${origin} is not this dashboard` }, 403);
    const headers = new Headers({ authorization: `Bearer ${token}` });
    for (const h of relayedRequestHeaders) {
      const v = c.req.header(h);
      if (v) headers.set(h, v);
    }
    const method = c.req.method;
    const upstream = await fetch(options.mcpUrl, {
      method,
      headers,
      body: method === 'POST' ? await c.req.arrayBuffer() : undefined,
      signal: c.req.raw.signal,
    }).catch((error: Error) => error);
    if (upstream instanceof Error) {
      options.logger.warn({ err: upstream.message }, 'dashboard relay: the MCP endpoint did not answer');
      return c.json({ error: 'unavailable', message: 'The orchestrator did not answer.' }, 502);
    }
    const out = new Headers();
    for (const h of relayedResponseHeaders) {
      const v = upstream.headers.get(h);
      if (v) out.set(h, v);
    }
    // Streamed as it comes: server-sent events of a subscription stay open.
    return new Response(upstream.body, { status: upstream.status, headers: out });
  });

  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    options.logger.error({ err: error.message, path: c.req.path }, 'dashboard error');
    return c.text('Internal error; see the server log.', 500);
  });
  return { app, close: () => sessions.clear() };
}
