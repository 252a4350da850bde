// Which attempt a call belongs to: the run, the task's plan key and the attempt number, carried through the async
// work of that attempt, so every model and tool call it makes is recorded under ids a replay of the same plan shares.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RecordingAttempt {
  runId: string;
  /** The task's key in the plan (a replay's task of the same key has another id). */
  taskKey: string;
  attempt: number;
  /** The task's id in this run (where a divergence is reported); not part of any key. */
  taskId?: string;
}

const current = new AsyncLocalStorage<RecordingAttempt>();

/** Runs `fn` as part of `attempt`: calls recorded inside it (however deep, across awaits) belong to it. */
export function withRecordingAttempt<T>(attempt: RecordingAttempt, fn: () => Promise<T>): Promise<T> {
  return current.run(attempt, fn);
}

/** The attempt the running code belongs to, if any. */
export function currentRecordingAttempt(): RecordingAttempt | undefined {
  return current.getStore();
}

/** The record's session of an attempt: the same for a run and for its replay. */
export function sessionOf(attempt: RecordingAttempt): string {
  return `${attempt.taskKey}#${attempt.attempt}`;
}
