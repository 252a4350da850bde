// Bearer token values: generated with 256 bits of randomness, stored only as a SHA-256, compared by hash.
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'aura_';

/** A new token value: `aura_` + 43 base64url characters. Shown once; only its hash is kept. */
export function generateTokenSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether a string has the shape of a token (cheap check before any lookup). */
export function looksLikeToken(value: string): boolean {
  return value.length === PREFIX.length + 43 && value.startsWith(PREFIX) && /^[A-Za-z0-9_-]+$/.test(value.slice(PREFIX.length));
}

/** Extracts the token from an `Authorization: Bearer …` header; undefined when absent or malformed. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
