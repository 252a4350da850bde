// Event types of replays: a replay started from its original's record, a call that did not match the record, the comparison.
import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const replayEvents = {
  /** A run started as a replay of `originalRunId`: its plan is the original's, its calls are served from the original's record. */
  RunReplayStarted: z.object({
    originalRunId: z.string(),
    /** The original's event seq the replay goes as far as (null: the whole run). */
    until: z.number().int().positive().nullable(),
    planHash: z.string(),
    planVersion: z.number().int().positive(),
    tasks: z.number().int().nonnegative(),
  }),
  /**
   * A call of the replay that the record does not hold (`missing`: the replay fails there, nothing is called), or a
   * tool call whose real outcome differs from the recorded one (`different`).
   */
  ReplayDiverged: z.object({
    originalRunId: z.string(),
    taskKey: z.string(),
    attempt: z.number().int().positive(),
    callKey: sha256,
    repeat: z.number().int().positive(),
    kind: z.enum(['model', 'tool']),
    provider: z.string(),
    model: z.string(),
    reason: z.enum(['missing', 'different']),
    detail: z.string().max(2000),
  }),
  /** The settled replay compared with its original, task by task (get_replay_report has the whole report). */
  ReplayCompared: z.object({
    originalRunId: z.string(),
    diverged: z.boolean(),
    tasks: z.number().int().nonnegative(),
    matching: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative(),
    firstDivergence: z.string().nullable(),
  }),
} as const;
