// The role check before a request reaches a session: which JSON-RPC methods and tools a principal may use.
import type { Principal, Role } from './roles';

/** Methods an employee token may use besides the tool calls its role allows. */
const employeeMethods = new Set(['initialize', 'notifications/initialized', 'ping', 'tools/list', 'tools/call', 'notifications/cancelled', 'notifications/progress']);

/**
 * Why this principal may not send this message, or undefined when it may. Unknown tool names pass: the session
 * answers them with InvalidParams, which says more than a 403 would.
 */
export function accessProblem(message: unknown, principal: Principal, toolRoles: ReadonlyMap<string, readonly Role[]>): string | undefined {
  if (!message || typeof message !== 'object') return undefined;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  if (typeof method !== 'string') return undefined;
  if (principal.role === 'employee' && !employeeMethods.has(method)) return `An employee token may not use ${method.slice(0, 60)}.`;
  if (method === 'tools/call' && typeof params?.name === 'string') {
    const allowed = toolRoles.get(params.name);
    if (allowed && !allowed.includes(principal.role)) return `The ${principal.role} role may not call ${params.name}; it needs ${allowed.join(' or ')}.`;
  }
  return undefined;
}
