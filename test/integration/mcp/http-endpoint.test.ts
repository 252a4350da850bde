// The Streamable HTTP endpoint: 401 without a valid token, sessions bound to their token, guards, limits, cleanup.
import assert from 'node:assert/strict';
import http from 'node:http';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTokenStore } from '../../../mcp-server/auth/token-store';
import { readLocalToken } from '../../../mcp-server/auth/local-token';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { httpClient, startTestHttp, testCore, tokenFor } from './support/mcp-harness';

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describeStores('MCP over Streamable HTTP', (ctx) => {
  let server: McpHttpServer;
  let director: string;
  let theCore: ReturnType<typeof testCore>;
  const core = () => theCore;

  before(async () => {
    theCore = testCore(ctx.store);
    server = await startTestHttp(core());
    director = await tokenFor(core(), 'director');
  });
  after(async () => server?.close());

  it('answers 401 with WWW-Authenticate when the token is missing or unknown', async () => {
    for (const authorization of [undefined, 'Bearer aura_' + 'x'.repeat(43), 'Basic Zm9vOmJhcg==']) {
      const res = await fetch(server.url, { method: 'POST', headers: { ...jsonHeaders, ...(authorization ? { authorization } : {}) }, body: JSON.stringify(initialize) });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /aura tokens create/);
    }
  });

  it('lets the SDK client in with a stored token and with the local token file', async () => {
    const a = await httpClient(server.url, director);
    assert.ok((await a.listTools()).tools.length > 0);
    await a.close();
    const local = readLocalToken(core().config.secretsDir);
    assert.ok(local, 'the server wrote its local token');
  });

  it('refuses a revoked token at once (the cache follows the revocation event)', async () => {
    const tokens = createTokenStore(core());
    const { token, secret } = await tokens.create({ role: 'viewer', name: 'short-lived' }, 'director:test');
    const client = await httpClient(server.url, secret);
    await client.listTools();
    await tokens.revoke(token.id, 'test', 'director:test');
    // The NOTIFY arrives asynchronously; poll briefly rather than sleep a fixed time.
    let status = 0;
    for (let i = 0; i < 50 && status !== 401; i++) {
      try {
        await client.listTools();
      } catch (error) {
        status = (error as StreamableHTTPError).code ?? 0;
      }
      if (status !== 401) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 401);
  });

  it('refuses a session id presented with another token (403) and an unknown session id (404)', async () => {
    const client = await httpClient(server.url, director);
    const sessionId = (client.transport as { sessionId?: string }).sessionId!;
    const other = await tokenFor(core(), 'director');
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const stolen = await fetch(server.url, { method: 'POST', headers: { ...jsonHeaders, authorization: `Bearer ${other}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify(list) });
    assert.equal(stolen.status, 403);
    const unknown = await fetch(server.url, { method: 'POST', headers: { ...jsonHeaders, authorization: `Bearer ${director}`, 'mcp-session-id': 'no-such-session' }, body: JSON.stringify(list) });
    assert.equal(unknown.status, 404);
    await client.close();
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, and answers CORS for the dashboard origin', async () => {
    // fetch cannot set Host; node:http can, as a rebound browser page effectively does.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = http.request(server.url, { method: 'POST', headers: { ...jsonHeaders, host: 'evil.example:9000', authorization: `Bearer ${director}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify(initialize));
    });
    assert.equal(rebound, 403);
    const foreign = await fetch(server.url, { method: 'POST', headers: { ...jsonHeaders, origin: 'http://evil.example', authorization: `Bearer ${director}` }, body: JSON.stringify(initialize) });
    assert.equal(foreign.status, 403);
    const dashboard = `http://127.0.0.1:${core().config.uiPort}`;
    const preflight = await fetch(server.url, { method: 'OPTIONS', headers: { origin: dashboard, 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), dashboard);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
  });

  it('answers 413 to a body over the limit and 400 to a body that is not JSON', async () => {
    const big = await fetch(server.url, { method: 'POST', headers: { ...jsonHeaders, authorization: `Bearer ${director}` }, body: 'x'.repeat(4 * 1024 * 1024 + 1) });
    assert.equal(big.status, 413);
    // A chunked body has no length to check up front: it is cut off as soon as it passes the limit.
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 64) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await fetch(server.url, { method: 'POST', headers: { ...jsonHeaders, authorization: `Bearer ${director}` }, body: stream, duplex: 'half' } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.ok(sent < 64, `stopped reading after ${sent} MiB`);
    const garbage = await fetch(server.url, { method: 'POST', headers: { ...jsonHeaders, authorization: `Bearer ${director}` }, body: '{not json' });
    assert.equal(garbage.status, 400);
    assert.equal(((await garbage.json()) as { error: { code: number } }).error.code, -32700);
  });

  it('requires initialize to open a session', async () => {
    const res = await fetch(server.url, { method: 'POST', headers: { ...jsonHeaders, authorization: `Bearer ${director}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    assert.equal(res.status, 400);
  });

  it('frees a session on DELETE and on idle expiry', async () => {
    const before = server.http.sessions.count();
    const a = await httpClient(server.url, director);
    const b = await httpClient(server.url, director);
    assert.equal(server.http.sessions.count(), before + 2);
    await (a.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
    await a.close();
    assert.equal(server.http.sessions.count(), before + 1);
    const swept = await server.http.sessions.sweep(Date.now() + 24 * 3_600_000);
    assert.ok(swept >= 1);
    assert.equal(server.http.sessions.count(), 0);
    await assert.rejects(b.listTools(), (e: unknown) => (e as StreamableHTTPError).code === 404);
    await b.close();
  });
});
