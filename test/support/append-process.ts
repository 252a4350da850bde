// A child process that appends events to a PostgreSQL event log (concurrent-writer tests and benches).
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { testEventLog } from './events';

async function main(): Promise<void> {
  const [url, stream, countText] = process.argv.slice(2);
  const store = await openPgStore({ url: url!, max: 2 });
  const log = testEventLog(store);
  for (let i = 0; i < Number(countText); i++) {
    await log.append({ type: 'RunPaused', runId: stream!, actor: `writer-${process.pid}`, payload: { reason: `n${i}` } });
  }
  await store.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
