// Leader duty: tasks whose lease ran out, or whose Manager is known to be gone (its liveness lock was freed), are
// resumed with the same attempt and idempotency key; after too many expiries of one attempt, it counts as failed.
import type { EventLog, NewEvent } from '../events/event-log';
import type { Store } from '../store/store';
import { type AttemptOutcomeInput, completeAttempts } from './complete-attempts';
import { lockRuns } from './lock-runs';
import { QUEUE_CHANNEL } from './queue-channel';
import { idempotencyKey } from './task-row';

export interface ExpireInput {
  now: Date;
  /** Expiries of one attempt after which it counts as a failed attempt (a task that kills its Manager). */
  maxLeaseExpiries: number;
  backoffMs: readonly number[];
  limit: number;
  actor: string;
  /** Managers known to be dead: their running tasks are taken over now, whatever their lease says. */
  deadOwners?: readonly string[];
}

interface ExpiredRow {
  id: string;
  run_id: string;
  lease_owner: string;
  attempt: number;
  attempt_floor: number;
  max_attempts: number;
  lease_expiries: number;
  employee_id: string | null;
}

export async function expireLeases(store: Store, events: EventLog, input: ExpireInput): Promise<{ resumed: number; failed: number }> {
  const at = input.now.toISOString();
  const dead = [...(input.deadOwners ?? [])];
  const due = await store.query<{ id: string; run_id: string }>(
    `SELECT id, run_id FROM aura.tasks WHERE status = 'running' AND (lease_until < $1 OR lease_owner = ANY ($3::text[])) ORDER BY lease_until LIMIT $2`,
    [at, input.limit, dead],
  );
  if (due.rows.length === 0) return { resumed: 0, failed: 0 };
  return store.transaction(async (tx) => {
    await lockRuns(tx, due.rows.map((r) => r.run_id));
    const rows = await tx.query<ExpiredRow>(
      `SELECT id, run_id, lease_owner, attempt, attempt_floor, max_attempts, lease_expiries, employee_id
         FROM aura.tasks WHERE id = ANY ($1::text[]) AND status = 'running' AND (lease_until < $2 OR lease_owner = ANY ($3::text[])) ORDER BY seq FOR UPDATE`,
      [due.rows.map((r) => r.id), at, dead],
    );
    const expired: NewEvent[] = [];
    const resume: ExpiredRow[] = [];
    const fail: AttemptOutcomeInput[] = [];
    for (const row of rows.rows) {
      const expiries = Number(row.lease_expiries) + 1;
      const ownerGone = dead.includes(row.lease_owner);
      expired.push({ type: 'TaskLeaseExpired', runId: row.run_id, taskId: row.id, actor: input.actor, payload: { owner: row.lease_owner, attempt: Number(row.attempt), expiries, ...(ownerGone ? { ownerGone } : {}) } });
      if (expiries <= input.maxLeaseExpiries) resume.push(row);
      else {
        fail.push({
          taskId: row.id,
          runId: row.run_id,
          owner: row.lease_owner,
          attempt: Number(row.attempt),
          attemptFloor: Number(row.attempt_floor),
          maxAttempts: Number(row.max_attempts),
          employeeId: row.employee_id,
          idempotencyKey: idempotencyKey(row.run_id, row.id, Number(row.attempt)),
          result: { kind: 'failed', reason: `its lease expired ${expiries} times: the Manager running it stopped each time`, retryable: true, costUsd: 0 },
        });
      }
    }
    if (resume.length) {
      await tx.query(
        `UPDATE aura.tasks SET status = 'ready', resume_attempt = true, lease_expiries = lease_expiries + 1,
                lease_owner = NULL, lease_until = NULL, updated_at = $2
          WHERE id = ANY ($1::text[])`,
        [resume.map((r) => r.id), at],
      );
      for (const row of resume) {
        const i = expired.findIndex((e) => e.taskId === row.id);
        expired.splice(i + 1, 0, { type: 'TaskReady', runId: row.run_id, taskId: row.id, actor: input.actor, payload: { reason: dead.includes(row.lease_owner) ? `Manager ${row.lease_owner} is gone; attempt ${row.attempt} resumes` : `lease expired; attempt ${row.attempt} resumes` } });
      }
      await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, '']);
    }
    const failed = fail.length ? await completeAttempts(tx, { outcomes: fail, now: input.now, backoffMs: input.backoffMs, actor: input.actor }) : null;
    await events.appendIn(tx, [...expired, ...(failed?.events ?? [])]);
    return { resumed: resume.length, failed: fail.length };
  });
}
