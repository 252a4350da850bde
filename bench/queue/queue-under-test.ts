// The one shape every queue in the benchmark is driven through, so each does exactly the same work.

export interface BenchMode {
  /** Batched: enqueue in batches, claim and complete several per round trip. Unbatched: one at a time. */
  batched: boolean;
  /** Tasks handled at once (the same for every queue). */
  concurrency: number;
  /** Tasks per enqueue call and per claim in batched mode. */
  batchSize: number;
}

export interface QueueUnderTest {
  readonly name: string;
  /** Installs a fresh schema in the scratch database and connects. */
  open(mode: BenchMode): Promise<void>;
  /** Enqueues `n` no-op tasks with no worker running. */
  enqueue(n: number): Promise<void>;
  /** Starts the workers; resolves when all `n` queued tasks are done (recorded as such in the database). */
  drain(n: number): Promise<void>;
  /** With idle workers running: enqueues one task every `intervalMs` and returns each task's enqueue→start time (ms). */
  latency(samples: number, intervalMs: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Open-loop arrivals: task i is enqueued at start + i × interval, whatever happened to the ones before. */
export async function arrivals(samples: number, intervalMs: number, enqueue: (i: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < samples; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(enqueue(i));
  }
  await Promise.all(pending);
}

/** Resolves when `count()` reaches `target`, checking every `everyMs`. */
export async function until(count: () => Promise<number>, target: number, everyMs = 10, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await count()) >= target) return;
    if (Date.now() > deadline) throw new Error(`benchmark timed out waiting for ${target}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Collects start times reported by handlers, keyed by task index, and resolves waiters. */
export class StartTimes {
  readonly at = new Map<number, number>();
  private waiters = new Map<number, () => void>();
  mark(i: number): void {
    if (!this.at.has(i)) this.at.set(i, performance.now());
    this.waiters.get(i)?.();
  }
  wait(i: number): Promise<void> {
    if (this.at.has(i)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(i, resolve));
  }
}
