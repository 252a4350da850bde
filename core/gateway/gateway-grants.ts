// The live grants of one gateway: a random token per attempt, kept only as its sha256, found by hashing what a call presents.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'aura-gw-';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface GrantRegistry<T> {
  /** Registers `state` under a new token; the token is returned once and never stored. */
  issue(state: T): { token: string; hash: string };
  /** The state of a live grant, or undefined for a token that is unknown, malformed or revoked. */
  find(token: string): T | undefined;
  remove(hash: string): void;
  live(): IterableIterator<T>;
}

export function createGrantRegistry<T>(): GrantRegistry<T> {
  const byHash = new Map<string, T>();
  return {
    issue(state) {
      // 32 random bytes: the token is a bearer credential for the attempt's spending.
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const hash = hashOf(token);
      byHash.set(hash, state);
      return { token, hash };
    },
    find(token) {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
      return byHash.get(hashOf(token));
    },
    remove(hash) {
      byHash.delete(hash);
    },
    live: () => byHash.values(),
  };
}
