// The Streamable HTTP endpoint (/mcp): guards, bearer auth (401), role check (403), sessions, then the SDK transport.
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { type Context, Hono } from 'hono';
import { accessProblem } from '../../auth/access';
import type { Authenticator } from '../../auth/authenticator';
import type { Principal, Role } from '../../auth/roles';
import { MAX_MESSAGE_BYTES } from '../input-limits';
import type { McpRuntime } from '../mcp-runtime';
import { parseToolSelection, type ToolSelection } from '../tool-sets';
import { createHttpSessions, type HttpSessions } from './http-sessions';
import { corsHeaders, hostAllowed, originAllowed } from './request-guards';

export interface McpHttpOptions {
  runtime: McpRuntime;
  authenticator: Authenticator;
  boundToLoopback: boolean;
  allowedOrigins: ReadonlySet<string>;
  /** The tool set of a session that does not ask for one (`?tools=`). */
  defaultSelection: ToolSelection;
  idleMs?: number;
  maxSessions?: number;
}

export interface McpHttp {
  app: Hono;
  sessions: HttpSessions;
  close(): Promise<void>;
}

type Status = 400 | 401 | 403 | 404 | 413 | 415 | 503;

function rpcError(c: Context, status: Status, message: string, id: unknown = null, headers: Record<string, string> = {}) {
  return c.json({ jsonrpc: '2.0', error: { code: status === 400 ? -32600 : -32000, message }, id: id ?? null }, status, headers);
}

/** The body as text, or undefined once it passes `max` bytes (read no further: a chunked body has no length to trust). */
async function readBounded(request: Request, max: number): Promise<string | undefined> {
  if (Number(request.headers.get('content-length') ?? 0) > max) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

function isInitialize(body: unknown): boolean {
  const first = Array.isArray(body) ? body[0] : body;
  return !!first && typeof first === 'object' && (first as { method?: unknown }).method === 'initialize';
}

export function createMcpHttp(options: McpHttpOptions): McpHttp {
  const { runtime, authenticator } = options;
  const logger = runtime.logger.child({ transport: 'http' });
  const sessions = createHttpSessions({ idleMs: options.idleMs ?? 60 * 60_000, logger });
  const maxSessions = options.maxSessions ?? 500;
  const toolRoles = new Map<string, readonly Role[]>(runtime.tools.map((t) => [t.name, t.roles]));
  const knownTools = runtime.tools.map((t) => t.name);
  const sweeper = setInterval(() => void sessions.sweep(Date.now()), 60_000);
  sweeper.unref();

  const app = new Hono();

  app.use('/mcp', async (c, next) => {
    const origin = c.req.header('origin');
    if (!hostAllowed(c.req.header('host'), options.boundToLoopback)) return rpcError(c, 403, 'Host not allowed: this server answers only to a loopback host name.');
    if (!originAllowed(origin, options.allowedOrigins)) return rpcError(c, 403, `Origin ${origin} is not allowed (AURA_MCP_ALLOWED_ORIGINS).`);
    if (c.req.method === 'OPTIONS') return c.body(null, 204, origin ? corsHeaders(origin) : {});
    await next();
    if (origin) for (const [k, v] of Object.entries(corsHeaders(origin))) c.res.headers.set(k, v);
  });

  app.all('/mcp', async (c) => {
    const principal = await authenticator.authenticate(c.req.header('authorization'));
    if (!principal) {
      return rpcError(c, 401, 'Missing or invalid bearer token. Send "Authorization: Bearer <token>" (create one with: aura tokens create --role ...).', null, {
        'www-authenticate': 'Bearer realm="aura-orchestra"',
      });
    }
    const sessionId = c.req.header('mcp-session-id');
    const existing = sessionId ? sessions.get(sessionId) : undefined;
    if (sessionId && !existing) return rpcError(c, 404, 'Session not found (closed or expired): initialize a new one.');
    if (existing && existing.principal.tokenId !== principal.tokenId) return rpcError(c, 403, 'This session belongs to another token.');

    let parsedBody: unknown;
    if (c.req.method === 'POST') {
      const raw = await readBounded(c.req.raw, MAX_MESSAGE_BYTES);
      if (raw === undefined) return rpcError(c, 413, `Request body over ${MAX_MESSAGE_BYTES} bytes.`);
      try {
        parsedBody = JSON.parse(raw);
      } catch {
        return c.json({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the body is not JSON.' }, id: null }, 400);
      }
      for (const message of Array.isArray(parsedBody) ? parsedBody : [parsedBody]) {
        const problem = accessProblem(message, principal, toolRoles);
        if (problem) return rpcError(c, 403, problem, (message as { id?: unknown }).id);
      }
    }

    const target = existing;
    if (!target) {
      if (c.req.method !== 'POST' || !isInitialize(parsedBody)) return rpcError(c, 400, 'No session: send an initialize request first (without Mcp-Session-Id).');
      if (sessions.count() >= maxSessions) return rpcError(c, 503, `Too many open MCP sessions (${maxSessions}); close some (DELETE /mcp) or wait for idle ones to expire.`);
      let selection = options.defaultSelection;
      try {
        const asked = c.req.query('tools');
        if (asked !== undefined) selection = parseToolSelection(asked, knownTools, 'tools query parameter');
      } catch (error) {
        return rpcError(c, 400, (error as Error).message);
      }
      const fresh = await openSession(principal, selection);
      const response = await fresh.transport.handleRequest(c.req.raw, { parsedBody });
      // An initialize the transport refused leaves a session nobody can reach: free it now.
      if (!fresh.id) await fresh.session.close();
      return response;
    }
    target.lastSeen = Date.now();
    return target.transport.handleRequest(c.req.raw, { parsedBody });
  });

  async function openSession(principal: Principal, selection: ToolSelection) {
    const session = runtime.openSession(principal, selection, 'http');
    const entry = { id: '', principal, session, lastSeen: Date.now() } as Parameters<HttpSessions['add']>[0];
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: MAX_MESSAGE_BYTES,
      onsessioninitialized: (id) => {
        entry.id = id;
        sessions.add(entry);
        logger.debug({ session: id, role: principal.role }, 'MCP session opened');
      },
    });
    entry.transport = transport;
    const release = session.server.onclose;
    session.server.onclose = () => {
      release?.();
      if (entry.id) sessions.forget(entry.id);
      logger.debug({ session: entry.id }, 'MCP session closed');
    };
    await session.server.connect(transport);
    return entry;
  }

  return {
    app,
    sessions,
    async close() {
      clearInterval(sweeper);
      await sessions.closeAll();
    },
  };
}
