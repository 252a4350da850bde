// Turns an Authorization header into a Principal: the serve process's local token or a stored token, cached briefly.
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/domain/clock';
import { SYSTEM_STREAM } from '../../core/events/event-log';
import type { StreamNotifier } from '../mcp/stream-notifier';
import { localDirector, type Principal } from './roles';
import { bearerToken, hashTokenSecret, looksLikeToken } from './token-secret';
import type { TokenStore } from './token-store';

export interface Authenticator {
  /** The caller's principal, or null when the header is missing, malformed, unknown, revoked or expired. */
  authenticate(authorization: string | undefined | null): Promise<Principal | null>;
  close(): void;
}

export interface AuthenticatorOptions {
  tokens: TokenStore;
  clock: Clock;
  /** The secret of this process's local Director token (see local-token.ts); absent in tests that need none. */
  localSecret?: string;
  /** Token changes are system events: a committed one clears the cache at once. */
  notifier?: StreamNotifier;
  /** How long a lookup is reused when no notification arrives (revocation from another host). */
  cacheMs?: number;
}

const MAX_CACHED = 1000;

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { tokens, clock } = options;
  const cacheMs = options.cacheMs ?? 10_000;
  const localHash = options.localSecret ? Buffer.from(hashTokenSecret(options.localSecret), 'hex') : undefined;
  const cache = new Map<string, { principal: Principal | null; until: number }>();
  const stop = options.notifier?.on((stream) => {
    if (stream === SYSTEM_STREAM) cache.clear();
  });
  return {
    async authenticate(header) {
      const secret = bearerToken(header);
      if (!secret || !looksLikeToken(secret)) return null;
      const hash = hashTokenSecret(secret);
      if (localHash && timingSafeEqual(localHash, Buffer.from(hash, 'hex'))) return localDirector;
      const now = clock.now();
      const hit = cache.get(hash);
      if (hit && hit.until > now.getTime()) return hit.principal;
      const principal = await tokens.principalOf(secret, now);
      // Bounded: a flood of made-up tokens cannot grow the cache without limit.
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(hash, { principal, until: now.getTime() + cacheMs });
      return principal;
    },
    close() {
      stop?.();
      cache.clear();
    },
  };
}
