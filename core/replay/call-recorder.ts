// Records model and tool calls with their outcomes, or serves them back from the record (modes record / replay / off).
import { z } from 'zod';
import type { Clock } from '../domain/clock';
import { systemClock } from '../domain/clock';
import { canonicalJson } from '../domain/canonical-json';
import { AuraError, errorCodes, toAuraError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import { ModelCallError, modelFailureReasons } from '../workforce/model-call-error';
import { type CallDescriptor, callKey } from './call-key';
import { saveCallRecord, takeCallRecord } from './call-record-rows';

export const recordingModes = ['record', 'replay', 'off'] as const;
/** record: call through and store the outcome; replay: serve the stored outcome, never call; off: call through only. */
export type RecordingMode = (typeof recordingModes)[number];

export interface RecorderStats {
  recorded: number;
  replayed: number;
  passedThrough: number;
}

export interface CallRecorder {
  readonly mode: RecordingMode;
  /**
   * Runs `run` (record, off) or serves its recorded outcome (replay). A thrown error is an outcome too:
   * recorded, and thrown again on replay. `schema` checks a replayed value (the record is read back
   * from the database, so it is validated like any input).
   */
  call<T>(call: CallDescriptor, run: () => Promise<T>, options?: { schema?: z.ZodType<T> }): Promise<T>;
  stats(): RecorderStats;
}

export interface CallRecorderOptions {
  store: Store;
  mode: RecordingMode;
  clock?: Clock;
  logger?: Logger;
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
  const repeats = new Map<string, number>();
  const stats: RecorderStats = { recorded: 0, replayed: 0, passedThrough: 0 };
  const nextSeq = (key: string) => {
    const seq = (repeats.get(key) ?? 0) + 1;
    repeats.set(key, seq);
    return seq;
  };

  return {
    mode,
    stats: () => ({ ...stats }),
    async call<T>(call: CallDescriptor, run: () => Promise<T>, callOptions: { schema?: z.ZodType<T> } = {}): Promise<T> {
      if (mode === 'off') {
        stats.passedThrough++;
        return run();
      }
      const key = callKey(call);
      // Taken before any await, so concurrent repeats are numbered in the order they were made.
      const seq = nextSeq(key);
      if (mode === 'replay') {
        const row = await takeCallRecord(store, key, seq);
        if (!row) {
          throw new AuraError('not_found', `No recorded outcome for this ${call.kind} call (${call.provider} ${call.model}, key ${key.slice(0, 12)}); record it first (recording mode "record").`, {
            details: { key, provider: call.provider, model: call.model },
          });
        }
        stats.replayed++;
        options.logger?.debug({ key, seq: row.seq, provider: call.provider, model: call.model }, 'call replayed from the record');
        return revive(row.outcome_json, key, callOptions.schema);
      }
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
        await saveCallRecord(store, {
          key,
          seq,
          kind: call.kind,
          provider: call.provider,
          model: call.model,
          paramsJson: canonicalJson(call.params ?? null),
          outcomeJson: JSON.stringify(outcome),
          recordedAt: clock.now(),
        });
        stats.recorded++;
      }
      if (result.ok) return result.value;
      throw result.error;
    },
  };
}

function describeError(error: unknown): z.infer<typeof storedError> {
  const aura = toAuraError(error);
  return { name: aura.name, code: aura.code, message: aura.message, retryable: aura.retryable, ...(aura.details ? { details: aura.details } : {}) };
}

function revive<T>(json: string, key: string, schema: z.ZodType<T> | undefined): T {
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
