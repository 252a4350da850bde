// graphile-worker 0.17 under the benchmark: addJob/addJobs, `run` with the same concurrency; batched mode uses
// its local queue (batch claims) and batched completion.
import { Logger, makeWorkerUtils, run, type Runner, type WorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { arrivals, type BenchMode, type QueueUnderTest, StartTimes, until } from './queue-under-test';

const silent = new Logger(() => () => undefined);

export function graphileQueue(url: string): QueueUnderTest {
  let utils: WorkerUtils;
  let mode: BenchMode;
  let starts = new StartTimes();
  let pool: pg.Pool;
  const remaining = async () => Number((await pool.query('SELECT count(*)::int AS n FROM graphile_worker._private_jobs')).rows[0].n);
  const start = (): Promise<Runner> =>
    run({
      connectionString: url,
      concurrency: mode.concurrency,
      maxPoolSize: mode.concurrency + 2,
      noHandleSignals: true,
      pollInterval: 1_000,
      logger: silent,
      taskList: {
        noop: async (payload) => {
          starts.mark((payload as { i: number }).i);
        },
      },
      preset: { worker: mode.batched ? { localQueue: { size: mode.batchSize }, completeJobBatchDelay: 0 } : {} },
    });
  return {
    name: 'graphile-worker 0.17.3',
    async open(m) {
      mode = m;
      pool = new pg.Pool({ connectionString: url, max: 2 });
      await pool.query('DROP SCHEMA IF EXISTS graphile_worker CASCADE');
      utils = await makeWorkerUtils({ connectionString: url, logger: silent });
      await utils.migrate();
    },
    async enqueue(n) {
      if (mode.batched) {
        for (let k = 0; k < n; k += mode.batchSize * 16) {
          await utils.addJobs(Array.from({ length: Math.min(mode.batchSize * 16, n - k) }, (_, j) => ({ identifier: 'noop', payload: { i: -1 - (k + j) } })));
        }
      } else {
        for (let i = 0; i < n; i++) await utils.addJob('noop', { i: -1 - i });
      }
    },
    async drain() {
      const runner = await start();
      await until(async () => ((await remaining()) === 0 ? 1 : 0), 1);
      await runner.stop();
    },
    async latency(samples, intervalMs) {
      starts = new StartTimes();
      const runner = await start();
      const sent = new Map<number, number>();
      await arrivals(samples, intervalMs, async (i) => {
        sent.set(i, performance.now());
        await utils.addJob('noop', { i });
      });
      await Promise.all(Array.from({ length: samples }, (_, i) => starts.wait(i)));
      await until(async () => ((await remaining()) === 0 ? 1 : 0), 1);
      await runner.stop();
      return Array.from({ length: samples }, (_, i) => starts.at.get(i)! - sent.get(i)!);
    },
    async close() {
      await utils.release();
      await pool.end();
    },
  };
}
