// What a leader's periodic duty is: a named step the one leader among Managers runs on every sweep.
export interface LeaderDuty {
  /** Named in the log when it fails. */
  name: string;
  /** Runs once per sweep (every sweepMs); resolves true when it made tasks ready (schedulers are woken). */
  run(now: Date): Promise<boolean | void>;
  /** Runs once when this Manager gives up leadership in an orderly stop (e.g. a last checkpoint). */
  onRelease?(): Promise<void>;
}
