// Streamable HTTP sessions: each a transport + server bound to one token; closed on DELETE, idleness or shutdown.
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Logger } from '../../../core/observability/logger';
import type { Principal } from '../../auth/roles';
import type { McpSession } from '../mcp-runtime';

export interface HttpSession {
  id: string;
  principal: Principal;
  transport: WebStandardStreamableHTTPServerTransport;
  session: McpSession;
  lastSeen: number;
}

export interface HttpSessions {
  get(id: string): HttpSession | undefined;
  add(session: HttpSession): void;
  /** Forgets a session (its transport closed); does not close it. */
  forget(id: string): void;
  count(): number;
  /** Closes sessions idle for longer than the idle limit; returns how many. */
  sweep(now: number): Promise<number>;
  closeAll(): Promise<void>;
}

export function createHttpSessions(options: { idleMs: number; logger: Logger }): HttpSessions {
  const sessions = new Map<string, HttpSession>();
  const closeOne = async (s: HttpSession) => {
    sessions.delete(s.id);
    await s.session.close().catch((error) => options.logger.warn({ session: s.id, err: (error as Error).message }, 'closing an MCP session failed'));
  };
  return {
    get: (id) => sessions.get(id),
    add: (s) => void sessions.set(s.id, s),
    forget: (id) => void sessions.delete(id),
    count: () => sessions.size,
    async sweep(now) {
      const idle = [...sessions.values()].filter((s) => now - s.lastSeen > options.idleMs);
      for (const s of idle) await closeOne(s);
      if (idle.length) options.logger.info({ closed: idle.length, open: sessions.size }, 'closed idle MCP sessions');
      return idle.length;
    },
    async closeAll() {
      for (const s of [...sessions.values()]) await closeOne(s);
    },
  };
}
