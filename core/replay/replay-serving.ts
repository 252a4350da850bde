// What serving a replay run from its original's record needs besides the record: which runs are replays, and
// the loud account of a call that diverged (an event on the replay's stream, and the error that stops it).
import { AuraError, toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { Queryable } from '../store/store';
import type { CallDescriptor } from './call-key';
import type { RecordingAttempt } from './recording-attempt';

export interface ReplayOrigins {
  /** The run `runId` replays, or null when it is no replay. */
  of(runId: string): Promise<string | null>;
}

/** A run's replay_of never changes once the run exists, so each run is asked about once per process. */
export function createReplayOrigins(db: Queryable): ReplayOrigins {
  const known = new Map<string, string | null>();
  return {
    async of(runId) {
      if (known.has(runId)) return known.get(runId)!;
      const row = (await db.query<{ replay_of: string | null }>('SELECT replay_of FROM aura.runs WHERE id = $1', [runId])).rows[0];
      // A run not (yet) in the table is no replay; it is not cached, so a run created later is asked again.
      if (!row) return null;
      known.set(runId, row.replay_of);
      return row.replay_of;
    },
  };
}

export interface DivergencePlace {
  events?: EventLog;
  logger?: Logger;
  attempt: RecordingAttempt;
  originalRunId: string;
  call: CallDescriptor;
  key: string;
  seq: number;
}

async function recordDivergence(where: DivergencePlace, reason: 'missing' | 'different', detail: string): Promise<void> {
  const { attempt, call } = where;
  const payload = { originalRunId: where.originalRunId, taskKey: attempt.taskKey, attempt: attempt.attempt, callKey: where.key, repeat: where.seq, kind: call.kind, provider: call.provider, model: call.model, reason, detail: detail.slice(0, 2000) };
  where.logger?.warn({ runId: attempt.runId, ...payload }, 'replay diverged from the record');
  if (!where.events) return;
  try {
    await where.events.append({ type: 'ReplayDiverged', actor: 'system:replay', runId: attempt.runId, taskId: attempt.taskId ?? null, payload });
  } catch (error) {
    // The error thrown (or the comparison) still says what diverged; a lost event must not hide it.
    where.logger?.warn({ err: toAuraError(error).message }, 'could not record a replay divergence');
  }
}

/** The error a call missing from the record ends the attempt with (never retried: the record will not change). */
export async function replayMiss(where: DivergencePlace): Promise<AuraError> {
  const { attempt, call, key, seq } = where;
  const message = `Replay of ${where.originalRunId} diverged at task ${attempt.taskKey}, attempt ${attempt.attempt}: its ${call.kind} call ${call.provider} ${call.model} (key ${key}, repeat ${seq}) is not in the original's record; nothing was called.`;
  await recordDivergence(where, 'missing', message);
  return new AuraError('not_found', message, { retryable: false, details: { replayMiss: true, key, seq, taskKey: attempt.taskKey, attempt: attempt.attempt, originalRunId: where.originalRunId, provider: call.provider, model: call.model } });
}

/** Compares a live call's real outcome with the recorded one; a difference is recorded (the run goes on with the real one). */
export async function reportDifferentOutcome(where: DivergencePlace, recordedJson: string, actual: unknown): Promise<void> {
  const recorded = comparable(JSON.parse(recordedJson));
  const now = comparable(actual);
  if (JSON.stringify(recorded) === JSON.stringify(now)) return;
  await recordDivergence(where, 'different', `recorded ${JSON.stringify(recorded).slice(0, 900)}; replayed ${JSON.stringify(now).slice(0, 900)}`);
}

/** What must match of an outcome: everything but how long it took. */
function comparable(outcome: unknown): unknown {
  if (!outcome || typeof outcome !== 'object') return outcome;
  const o = outcome as { ok?: boolean; value?: unknown };
  if (o.ok && o.value && typeof o.value === 'object' && !Array.isArray(o.value)) {
    const { durationMs: _d, latencyMs: _l, ...rest } = o.value as Record<string, unknown>;
    return { ...o, value: rest };
  }
  return outcome;
}

/** Whether an error is a replay's call missing from the record: retrying cannot help (the record will not change). */
export function isReplayMiss(error: unknown): boolean {
  return AuraError.is(error) && error.details?.replayMiss === true;
}
