// Event types of backups: taken (by the leader's schedule, after a migration, or by the Director), verified, restored, pruned.
import { z } from 'zod';

const backupId = z.string().min(1);

export const backupEvents = {
  BackupCreated: z.object({
    backupId,
    kind: z.enum(['postgres', 'pglite']),
    reason: z.enum(['schedule', 'migration', 'director']),
    file: z.string(),
    sizeBytes: z.number().int().nonnegative(),
    sha256: z.string(),
    rows: z.number().int().nonnegative(),
    durationMs: z.number().int().nonnegative(),
  }),
  BackupVerified: z.object({ backupId, ok: z.boolean(), problems: z.array(z.string()), durationMs: z.number().int().nonnegative() }),
  /** Appended into the restored database: its own log says when it was brought back, and from what. */
  BackupRestored: z.object({ backupId, createdAt: z.string(), durationMs: z.number().int().nonnegative() }),
  BackupsPruned: z.object({ backupIds: z.array(backupId), olderThanDays: z.number().int().positive() }),
} as const;
