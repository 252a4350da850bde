// A backup's manifest: what the dump holds (rows per table, each audit chain's head) and its file's sha256.
import { z } from 'zod';

export const chainHeadSchema = z.object({ stream: z.string(), seq: z.number().int().nonnegative(), hash: z.string() });
export type ChainHead = z.infer<typeof chainHeadSchema>;

/** What a database holds at one instant: taken in the same snapshot the dump is written from. */
export const censusSchema = z.object({
  /** The last applied migration. */
  migration: z.number().int().nonnegative(),
  /** Rows per table of schema aura, by table name. */
  tables: z.record(z.string(), z.number().int().nonnegative()),
  /** aura.event_heads: the last seq and hash of every chain. */
  chainHeads: z.array(chainHeadSchema),
});
export type Census = z.infer<typeof censusSchema>;

export const manifestSchema = z.object({
  format: z.literal('aura.backup/1'),
  id: z.string().regex(/^[0-9TZ-]+-[a-z0-9]+$/),
  kind: z.enum(['postgres', 'pglite']),
  reason: z.enum(['schedule', 'migration', 'director']),
  createdAt: z.string(),
  /** The dump's file name, beside the manifest. */
  file: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  durationMs: z.number().int().nonnegative(),
  census: censusSchema,
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** Every difference between what a manifest promises and what a restored copy holds, in words. */
export function compareCensus(expected: Census, actual: Census): string[] {
  const problems: string[] = [];
  if (expected.migration !== actual.migration) problems.push(`migration ${actual.migration}, expected ${expected.migration}`);
  for (const table of new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)])) {
    const want = expected.tables[table];
    const got = actual.tables[table];
    if (want !== got) problems.push(`aura.${table}: ${got ?? 'missing'} rows, expected ${want ?? 'none (table not in the manifest)'}`);
  }
  const heads = new Map(actual.chainHeads.map((h) => [h.stream, h]));
  for (const head of expected.chainHeads) {
    const got = heads.get(head.stream);
    if (!got) problems.push(`chain ${head.stream}: missing, expected head ${head.seq}`);
    else if (got.seq !== head.seq || got.hash !== head.hash) problems.push(`chain ${head.stream}: head ${got.seq} ${got.hash.slice(0, 12)}, expected ${head.seq} ${head.hash.slice(0, 12)}`);
    heads.delete(head.stream);
  }
  for (const extra of heads.keys()) problems.push(`chain ${extra}: not in the manifest`);
  return problems;
}
