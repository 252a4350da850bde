// Where the MCP endpoint may listen: loopback by default; any other address only once tokens exist.
import { isIP } from 'node:net';
import { AuraError } from '../../core/domain/errors';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

/**
 * Refuses a non-loopback bind while no stored token can authenticate: otherwise the only way in would be the
 * local token file, and a server reachable from the network with no way to hand out access is a misconfiguration.
 */
export function assertBindAllowed(host: string, activeTokens: number, setting: string): void {
  if (isLoopbackHost(host) || activeTokens > 0) return;
  throw new AuraError(
    'config',
    `Refusing to serve MCP on ${host} (not loopback) with no access tokens configured. Create one first with ` +
      `"aura tokens create --role director --name NAME", or set ${setting}=127.0.0.1.`,
  );
}
