// Signed checkpoints of every chain head, kept outside the database (a file under $AURA_HOME/audit, and each
// backup's manifest): a tail cut off with its head moved back, or a whole stream deleted, leaves the database
// consistent with itself, but not with a checkpoint signed earlier.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../domain/canonical-json';
import type { Clock } from '../domain/clock';
import type { Queryable } from '../store/store';
import { type AuditSigner, headMessage } from './chain';

export const CHECKPOINT_FILE = 'heads-checkpoint.json';

const headSchema = z.object({ stream: z.string().min(1), seq: z.number().int().nonnegative(), hash: z.string() }).strict();
export type ChainHead = z.infer<typeof headSchema>;

export const headCheckpointSchema = z
  .object({
    format: z.literal('aura.heads/1'),
    /** aura.database_identity of the database the heads were read from. */
    databaseId: z.string().min(1),
    takenAt: z.string(),
    heads: z.array(headSchema),
    /** HMAC(audit key) over the canonical JSON of everything above. */
    hmac: z.string(),
  })
  .strict();
export type HeadCheckpoint = z.infer<typeof headCheckpointSchema>;

const signedText = (c: Omit<HeadCheckpoint, 'hmac'>) => `aura.heads/1\n${canonicalJson({ databaseId: c.databaseId, takenAt: c.takenAt, heads: c.heads })}`;

export async function databaseIdentity(q: Queryable): Promise<string> {
  const row = (await q.query<{ id: string }>('SELECT id FROM aura.database_identity')).rows[0];
  return row?.id ?? 'unknown';
}

/**
 * The signed heads of every chain now, for a checkpoint file or a backup's manifest. Read in one statement, so
 * the heads are one committed state of the database.
 */
export async function takeHeadCheckpoint(q: Queryable, signer: AuditSigner, clock: Clock): Promise<HeadCheckpoint> {
  const rows = await q.query<{ stream: string; seq: number; hash: string; id: string | null }>(
    `SELECT h.stream, h.seq, h.hash, (SELECT id FROM aura.database_identity) AS id FROM aura.event_heads h WHERE h.seq > 0 ORDER BY h.stream`,
  );
  const databaseId = rows.rows[0]?.id ?? (await databaseIdentity(q));
  const unsigned = { format: 'aura.heads/1' as const, databaseId, takenAt: clock.now().toISOString(), heads: rows.rows.map((r) => ({ stream: r.stream, seq: Number(r.seq), hash: r.hash })) };
  return { ...unsigned, hmac: signer.sign(signedText(unsigned)) };
}

export type CheckedCheckpoint = { ok: true; checkpoint: HeadCheckpoint } | { ok: false; problem: string };

/** Checks a checkpoint's shape and signature (from a file or a backup manifest). */
export function checkHeadCheckpoint(signer: AuditSigner, value: unknown): CheckedCheckpoint {
  const parsed = headCheckpointSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problem: `not a checkpoint of heads (${parsed.error.issues[0]?.message ?? 'bad shape'})` };
  if (!signer.verify(signedText(parsed.data), parsed.data.hmac)) return { ok: false, problem: 'its signature was not made with this audit key (edited, or forged)' };
  return { ok: true, checkpoint: parsed.data };
}

/** Writes the checkpoint atomically (a temporary file renamed over the old one), readable by the owner only. */
export function writeCheckpointFile(dir: string, checkpoint: HeadCheckpoint): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, CHECKPOINT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(checkpoint) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}

/** The checkpoint file as stored, or null when there is none yet. */
export function readCheckpointFile(dir: string): { file: string; value: unknown } | null {
  const file = path.join(dir, CHECKPOINT_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return { file, value: JSON.parse(text) as unknown };
  } catch {
    return { file, value: text };
  }
}

/**
 * Signs the heads written before heads were signed (migration 060), once, when the database is migrated; from
 * then on an unsigned head is a head changed by hand.
 */
export async function signUnsignedHeads(q: Queryable, signer: AuditSigner): Promise<number> {
  const rows = await q.query<{ stream: string; seq: number; hash: string }>('SELECT stream, seq, hash FROM aura.event_heads WHERE hmac IS NULL AND seq > 0');
  if (rows.rows.length === 0) return 0;
  await q.query(
    `UPDATE aura.event_heads h SET hmac = u.m FROM unnest($1::text[], $2::text[]) AS u(s, m) WHERE h.stream = u.s AND h.hmac IS NULL`,
    [rows.rows.map((r) => r.stream), rows.rows.map((r) => signer.sign(headMessage(r.stream, Number(r.seq), r.hash)))],
  );
  return rows.rows.length;
}
