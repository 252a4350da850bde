// The retry schedule: the wait after a task's n-th failed attempt (2 s, 4 s, 8 s by default).
export const defaultBackoffMs: readonly number[] = [2_000, 4_000, 8_000];

/** The wait after `failedAttempts` failures (1-based); past the schedule's end, the last step keeps doubling. */
export function retryDelayMs(failedAttempts: number, schedule: readonly number[] = defaultBackoffMs): number {
  if (schedule.length === 0) return 0;
  const index = Math.max(failedAttempts, 1) - 1;
  if (index < schedule.length) return schedule[index]!;
  return schedule.at(-1)! * 2 ** (index - schedule.length + 1);
}
