// Plays the attacker with database access: changes rows past the append-only triggers.
import type { Queryable, Store } from '../../core/store/store';
import type { EventLog } from '../../core/events/event-log';

export async function tamper(store: Store, fn: (tx: Queryable) => Promise<unknown>): Promise<void> {
  await store.transaction(async (tx) => {
    // Superuser only: replica mode skips ordinary triggers, as an attacker with full access could.
    await tx.query('SET LOCAL session_replication_role = replica');
    await fn(tx);
  });
}

/** Writes a run of `count` RunPaused/RunResumed events on `runId`. */
export async function writeRun(log: EventLog, runId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) await log.append({ type: 'RunPaused', runId, actor: 'director', payload: { reason: `pause ${i}` } });
    else await log.append({ type: 'RunResumed', runId, actor: 'director', payload: {} });
  }
}
