// Records model and tool calls with their outcomes, or serves them back from the record (modes record / replay / off).
import { z } from 'zod';
import type { Clock } from '../domain/clock';
import { systemClock } from '../domain/clock';
import { canonicalJson } from '../domain/canonical-json';
import { AuraError, errorCodes, toAuraError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import { ModelCallError, modelFailureReasons } from '../workforce/model-call-error';
import type { EventLog } from '../events/event-log';
import { type CallDescriptor, callKey } from './call-key';
import { type RecordPlace, saveCallRecord, takeCallRecord, unscoped } from './call-record-rows';
import { currentRecordingAttempt, type RecordingAttempt, sessionOf } from './recording-attempt';
import { createReplayOrigins, replayMiss, reportDifferentOutcome } from './replay-serving';

export const recordingModes = ['record', 'replay', 'off'] as const;
/** record: call through and store the outcome; replay: serve the stored outcome, never call; off: call through only. */
export type RecordingMode = (typeof recordingModes)[number];

export interface RecorderStats {
  recorded: number;
  replayed: number;
  passedThrough: number;
}

export interface CallOptions<T> {
  /** Checks a replayed value (the record is read back from the database, so it is validated like any input). */
  schema?: z.ZodType<T>;
  /** What a replay run gets instead of the recorded value (a replayed model answer costs nothing). */
  whenReplayed?: (value: T) => T;
  /**
   * A call whose effect is the work itself (a command in the workspace): it always runs, is recorded in record
   * mode, and in a replay run its outcome is compared with the record's (a difference is a divergence).
   */
  live?: boolean;
}

export interface CallRecorder {
  readonly mode: RecordingMode;
  /**
   * Runs `run` (record, off) or serves its recorded outcome (replay). A thrown error is an outcome too:
   * recorded, and thrown again on replay. Inside an attempt (withRecordingAttempt) the record is the
   * attempt's; when that attempt's run is a replay, the original's record is served whatever the mode, and
   * a call it does not hold fails loudly (nothing is called).
   */
  call<T>(call: CallDescriptor, run: () => Promise<T>, options?: CallOptions<T>): Promise<T>;
  stats(): RecorderStats;
}

export interface CallRecorderOptions {
  store: Store;
  mode: RecordingMode;
  clock?: Clock;
  logger?: Logger;
  /** Where a replay's divergences are recorded (ReplayDiverged on the replay's stream). */
  events?: EventLog;
  /** The attempt every call of this recorder belongs to (a per-attempt recorder, e.g. the gateway's); default: the current one. */
  attempt?: RecordingAttempt;
}

const storedError = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});
const outcomeSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: storedError })]);
type Outcome = z.infer<typeof outcomeSchema>;

/**
 * One recorder is one session (a run, or an employee's attempt): the n-th repeat of the same call in
 * it is recorded as repeat n, and a replay session serves repeat n its own answer.
 */
export function createCallRecorder(options: CallRecorderOptions): CallRecorder {
  const { store, mode } = options;
  const clock = options.clock ?? systemClock;
  const origins = createReplayOrigins(store);
  const repeats = new Map<string, number>();
  const stats: RecorderStats = { recorded: 0, replayed: 0, passedThrough: 0 };
  const nextSeq = (key: string) => {
    const seq = (repeats.get(key) ?? 0) + 1;
    repeats.set(key, seq);
    return seq;
  };

  async function record<T>(call: CallDescriptor, key: string, seq: number, place: RecordPlace, run: () => Promise<T>): Promise<T> {
    let outcome: Outcome;
    let result: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      const value = await run();
      result = { ok: true, value };
      outcome = { ok: true, value: JSON.parse(JSON.stringify(value ?? null)) as unknown };
    } catch (error) {
      result = { ok: false, error };
      outcome = { ok: false, error: describeError(error) };
    }
    // A call its own caller cancelled has no outcome worth replaying; it is not recorded.
    if (!(result.ok === false && ModelCallError.isModelCallError(result.error) && result.error.reason === 'cancelled')) {
      await saveCallRecord(store, { place, key, seq, kind: call.kind, provider: call.provider, model: call.model, paramsJson: canonicalJson(call.params ?? null), outcomeJson: JSON.stringify(outcome), recordedAt: clock.now() });
      stats.recorded++;
    }
    if (result.ok) return result.value;
    throw result.error;
  }

  /** A call of a replay run: served from (or, when live, compared with) the original's record of the same attempt. */
  async function replayed<T>(call: CallDescriptor, attempt: RecordingAttempt, originalRunId: string, run: () => Promise<T>, callOptions: CallOptions<T>): Promise<T> {
    const key = callKey(call);
    const session = sessionOf(attempt);
    const seq = nextSeq(`${attempt.runId}|${session}|${key}`);
    const row = await takeCallRecord(store, key, seq, { runId: originalRunId, session });
    const where = { store, events: options.events, logger: options.logger, attempt, originalRunId, call, key, seq };
    if (!row) throw await replayMiss(where);
    stats.replayed++;
    if (!callOptions.live) {
      const value = revive(row.outcome_json, key, callOptions.schema);
      return callOptions.whenReplayed ? callOptions.whenReplayed(value) : value;
    }
    // The command runs for real (its effect on the workspace is the work); its outcome must be the recorded one.
    let actual: Outcome;
    try {
      const value = await run();
      actual = { ok: true, value: JSON.parse(JSON.stringify(value ?? null)) as unknown };
      await reportDifferentOutcome(where, row.outcome_json, actual);
      return value;
    } catch (error) {
      actual = { ok: false, error: describeError(error) };
      await reportDifferentOutcome(where, row.outcome_json, actual);
      throw error;
    }
  }

  return {
    mode,
    stats: () => ({ ...stats }),
    async call<T>(call: CallDescriptor, run: () => Promise<T>, callOptions: CallOptions<T> = {}): Promise<T> {
      const attempt = options.attempt ?? currentRecordingAttempt();
      // Read before any numbering: whether this attempt's run replays another decides everything else.
      const originalRunId = attempt ? await origins.of(attempt.runId) : null;
      if (attempt && originalRunId) return replayed(call, attempt, originalRunId, run, callOptions);
      if (mode === 'off' || (mode === 'replay' && callOptions.live)) {
        stats.passedThrough++;
        return run();
      }
      const key = callKey(call);
      const place = attempt ? { runId: attempt.runId, session: sessionOf(attempt) } : unscoped;
      const seq = nextSeq(`${place.runId}|${place.session}|${key}`);
      if (mode === 'record') return record(call, key, seq, place, run);
      const row = await takeCallRecord(store, key, seq);
      if (!row) {
        throw new AuraError('not_found', `No recorded outcome for this ${call.kind} call (${call.provider} ${call.model}, key ${key.slice(0, 12)}); record it first (recording mode "record").`, {
          details: { key, provider: call.provider, model: call.model },
        });
      }
      stats.replayed++;
      options.logger?.debug({ key, seq: row.seq, provider: call.provider, model: call.model }, 'call replayed from the record');
      return revive(row.outcome_json, key, callOptions.schema);
    },
  };
}

function describeError(error: unknown): z.infer<typeof storedError> {
  const aura = toAuraError(error);
  return { name: aura.name, code: aura.code, message: aura.message, retryable: aura.retryable, ...(aura.details ? { details: aura.details } : {}) };
}

export function revive<T>(json: string, key: string, schema: z.ZodType<T> | undefined): T {
  let outcome: Outcome;
  try {
    outcome = outcomeSchema.parse(JSON.parse(json));
  } catch (error) {
    throw new AuraError('tampered', `The recorded outcome of call ${key.slice(0, 12)} is not readable: ${(error as Error).message}`, { details: { key } });
  }
  if (!outcome.ok) throw reviveError(outcome.error);
  if (!schema) return outcome.value as T;
  const parsed = schema.safeParse(outcome.value);
  if (!parsed.success) throw new AuraError('tampered', `The recorded outcome of call ${key.slice(0, 12)} does not match what the call returns: ${parsed.error.issues[0]?.message}`, { details: { key } });
  return parsed.data;
}

/** The same error class, code, message and details the recorded call threw. */
function reviveError(stored: z.infer<typeof storedError>): AuraError {
  const details = stored.details ?? {};
  const reason = modelFailureReasons.find((r) => r === details.reason);
  if (stored.name === 'ModelCallError' && reason && typeof details.provider === 'string' && typeof details.model === 'string') {
    const prefix = `${details.provider} ${details.model}: `;
    return new ModelCallError({
      reason,
      provider: details.provider,
      model: details.model,
      message: stored.message.startsWith(prefix) ? stored.message.slice(prefix.length) : stored.message,
      status: typeof details.status === 'number' ? details.status : undefined,
      attempts: typeof details.attempts === 'number' ? details.attempts : undefined,
      retryAfterMs: typeof details.retryAfterMs === 'number' ? details.retryAfterMs : undefined,
      usage: details.usage as { tokensIn: number; tokensOut: number; costUsd: number } | undefined,
    });
  }
  const code = z.enum(errorCodes).catch('internal').parse(stored.code);
  return new AuraError(code, stored.message, { retryable: stored.retryable, details: stored.details });
}
