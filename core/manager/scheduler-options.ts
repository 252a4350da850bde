// The scheduler's settings, with their defaults: cap, leases, heartbeat, poll, backoff, batching.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { describeIssues, AuraError } from '../domain/errors';
import { defaultBackoffMs } from '../queue/backoff';

export const schedulerOptionsSchema = z
  .object({
    /** This process's name on leases ("host-pid-xxxx"). */
    owner: z.string().min(1).max(200),
    /** Running tasks (model containers) at once on this database, any mix of providers. */
    concurrency: z.number().int().min(1).max(1024),
    /** How long a claim holds without renewal: the backstop when a Manager's death is not seen (its liveness lock). */
    leaseMs: z.number().int().min(200).max(3_600_000),
    /** Lease renewal interval (default a third of the lease). */
    heartbeatMs: z.number().int().min(50).max(1_200_000),
    /** Poll for ready tasks when no NOTIFY arrives (NOTIFY is only a wake-up). */
    pollMs: z.number().int().min(10).max(60_000),
    /** The leader's sweep interval (dead Managers, expired leases, due retries); bounds how soon a dead Manager's attempts resume. */
    sweepMs: z.number().int().min(10).max(60_000),
    /** Waits after the 1st, 2nd, 3rd… failed attempt. */
    backoffMs: z.array(z.number().int().min(0).max(86_400_000)).min(1).max(20),
    /** Lease expiries of one attempt after which it counts as failed. */
    maxLeaseExpiries: z.number().int().min(1).max(100),
    /** Tasks claimed per transaction at most (1 = unbatched). */
    claimBatchSize: z.number().int().min(1).max(500),
    /** Outcomes recorded per transaction at most (1 = each in its own, concurrently). */
    completeBatchSize: z.number().int().min(1).max(500),
    /** How often the employee list is re-read. */
    employeeRefreshMs: z.number().int().min(0).max(600_000),
    /** How long employee choices prepared but not claimed in one round stay usable in the next. */
    preparedTtlMs: z.number().int().min(0).max(60_000),
    /** How often the leader writes the signed checkpoint of chain heads (when a head moved). */
    checkpointMs: z.number().int().min(10).max(3_600_000),
    /** On stop, how long running attempts may finish before they are stopped and released. */
    stopGraceMs: z.number().int().min(0).max(600_000),
  })
  .strict();

export type SchedulerOptions = z.infer<typeof schedulerOptionsSchema>;

export function defaultOwner(): string {
  return `${os.hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

export function resolveSchedulerOptions(partial: Partial<SchedulerOptions>, defaults: { concurrency: number }): SchedulerOptions {
  const leaseMs = partial.leaseMs ?? 30_000;
  const merged = {
    owner: defaultOwner(),
    concurrency: defaults.concurrency,
    leaseMs,
    heartbeatMs: Math.max(50, Math.floor(leaseMs / 3)),
    pollMs: 1_000,
    sweepMs: Math.max(10, Math.min(500, Math.floor(leaseMs / 4))),
    backoffMs: [...defaultBackoffMs],
    maxLeaseExpiries: 3,
    claimBatchSize: 16,
    completeBatchSize: 32,
    employeeRefreshMs: 1_000,
    stopGraceMs: 5_000,
    checkpointMs: 5_000,
    preparedTtlMs: 200,
    ...partial,
  };
  const parsed = schedulerOptionsSchema.safeParse(merged);
  if (!parsed.success) throw new AuraError('config', `Invalid scheduler options: ${describeIssues(parsed.error.issues)}`);
  if (parsed.data.heartbeatMs >= parsed.data.leaseMs) throw new AuraError('config', 'Invalid scheduler options: heartbeatMs must be shorter than leaseMs.');
  return parsed.data;
}
