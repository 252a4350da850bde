// pg-boss 10 under the benchmark: send/insert, `work` handlers with the same concurrency. pg-boss polls (at
// least every 0.5 s, no LISTEN); a busy handler calls notifyWorker so it fetches again at once, as graphile and
// Aura do. Latency is measured as it works across processes: by its polling.
import PgBoss from 'pg-boss';
import pg from 'pg';
import { arrivals, type BenchMode, type QueueUnderTest, StartTimes, until } from './queue-under-test';

const QUEUE = 'noop';

export function pgBossQueue(url: string): QueueUnderTest {
  let boss: PgBoss;
  let mode: BenchMode;
  let pool: pg.Pool;
  let starts = new StartTimes();
  const completed = async () => Number((await pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [QUEUE])).rows[0].n);
  const startWorkers = async (notifyWhenBusy: boolean) => {
    for (let w = 0; w < mode.concurrency; w++) {
      let id = '';
      id = await boss.work<{ i: number }>(QUEUE, { batchSize: mode.batched ? mode.batchSize : 1, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const job of jobs) starts.mark(job.data.i);
        if (notifyWhenBusy && jobs.length) boss.notifyWorker(id);
      });
    }
  };
  return {
    name: 'pg-boss 10.4.2',
    async open(m) {
      mode = m;
      pool = new pg.Pool({ connectionString: url, max: 2 });
      await pool.query('DROP SCHEMA IF EXISTS pgboss CASCADE');
      boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: m.concurrency + 2, supervise: false, schedule: false });
      boss.on('error', (error) => process.stderr.write(`pg-boss: ${error.message}\n`));
      await boss.start();
      await boss.createQueue(QUEUE);
    },
    async enqueue(n) {
      if (mode.batched) {
        for (let k = 0; k < n; k += mode.batchSize * 16) await boss.insert(Array.from({ length: Math.min(mode.batchSize * 16, n - k) }, (_, j) => ({ name: QUEUE, data: { i: -1 - (k + j) } })));
      } else {
        for (let i = 0; i < n; i++) await boss.send(QUEUE, { i: -1 - i });
      }
    },
    async drain(n) {
      const before = await completed();
      await startWorkers(true);
      await until(completed, before + n);
      await boss.offWork(QUEUE);
    },
    async latency(samples, intervalMs) {
      starts = new StartTimes();
      const before = await completed();
      await startWorkers(false);
      const sent = new Map<number, number>();
      await arrivals(samples, intervalMs, async (i) => {
        sent.set(i, performance.now());
        await boss.send(QUEUE, { i });
      });
      await Promise.all(Array.from({ length: samples }, (_, i) => starts.wait(i)));
      await until(completed, before + samples);
      await boss.offWork(QUEUE);
      return Array.from({ length: samples }, (_, i) => starts.at.get(i)! - sent.get(i)!);
    },
    async close() {
      await boss.stop({ graceful: false, wait: true, timeout: 5_000 });
      await pool.end();
    },
  };
}
