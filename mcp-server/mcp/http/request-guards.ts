// Browser-facing guards of the MCP endpoint: Host (DNS rebinding) and Origin checks, and CORS for allowed origins.
import { isLoopbackHost } from '../../auth/bind-guard';

/** The host part of a Host header (`127.0.0.1:9000` → `127.0.0.1`, `[::1]:9000` → `::1`). */
function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon > 0 ? h.slice(0, colon) : h;
}

/**
 * When bound to loopback, a request must also name a loopback host: a web page whose own name was rebound to
 * 127.0.0.1 sends its own name in Host, and is refused here.
 */
export function hostAllowed(hostHeader: string | undefined, boundToLoopback: boolean): boolean {
  if (!boundToLoopback) return true;
  if (!hostHeader) return false;
  return isLoopbackHost(hostnameOf(hostHeader));
}

/** Requests without Origin (IDEs, CLIs, the extension host) pass; browsers must come from an allowed origin. */
export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  return origin === undefined || allowed.has(origin);
}

export function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
    'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version, www-authenticate',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

/** The dashboard's own origins (AURA_UI_PORT) are allowed by default. */
export function defaultAllowedOrigins(uiPort: number): Set<string> {
  return new Set([`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`, `http://[::1]:${uiPort}`]);
}
