// The hash chain: hash = sha256(prev_hash || canonical_json(event)), signed with an HMAC of the hash.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';

/** The fields of an event that its hash covers. */
export interface ChainedContent {
  stream: string;
  seq: number;
  type: string;
  runId: string | null;
  taskId: string | null;
  actor: string;
  payload: unknown;
  occurredAt: string;
}

export function hashEvent(prevHash: string, content: ChainedContent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

export interface AuditSigner {
  sign(hash: string): string;
  verify(hash: string, signature: string): boolean;
}

export function createAuditSigner(key: string | Buffer): AuditSigner {
  const sign = (hash: string) => createHmac('sha256', key).update(hash).digest('hex');
  return {
    sign,
    verify(hash, signature) {
      const expected = Buffer.from(sign(hash), 'hex');
      const given = Buffer.from(signature, 'hex');
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

/** What a chain head's signature covers: the stream, its last seq and hash (a head moved by hand no longer verifies). */
export function headMessage(stream: string, seq: number, hash: string): string {
  return `aura.head/1\n${canonicalJson([stream, seq, hash])}`;
}
