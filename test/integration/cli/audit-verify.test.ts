// `aura audit verify [--run ID]`: exit 0 on an untouched log, exit 1 naming the first bad row.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../../core/store/migrations';
import type { Store } from '../../../core/store/store';
import { childEnv, runCli } from '../../support/cli';
import { TEST_AUDIT_KEY, testEventLog } from '../../support/events';
import { createPgDatabase, migrations, type TestDatabase } from '../../support/stores';
import { tamper, writeRun } from '../../support/tamper';

describe('aura audit verify', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let store: Store;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    db = await createPgDatabase();
    store = await db.open();
    await migrate(store, migrations());
    const log = testEventLog(store);
    await writeRun(log, 'run_good', 4);
    await writeRun(log, 'run_bad', 4);
    await writeRun(log, 'run_cut', 4);
    env = childEnv({ DATABASE_URL: db.url, AURA_AUDIT_KEY: TEST_AUDIT_KEY, AURA_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'aura-home-')) });
  });
  after(async () => {
    await store.close();
    await db.drop();
  });

  it('passes an untouched log', async () => {
    const result = await runCli(['audit', 'verify'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /verified: 12 events in 3 chain\(s\), no tampering found/);
  });

  it('fails naming the edited row, and --run limits the walk to that run', async () => {
    const id = (await store.query<{ id: number }>("SELECT id FROM aura.events WHERE stream = 'run_bad' AND seq = 2")).rows[0]!.id;
    await tamper(store, (tx) => tx.query("UPDATE aura.events SET actor = 'mallory' WHERE id = $1", [id]));
    const all = await runCli(['audit', 'verify'], env);
    assert.equal(all.code, 1);
    assert.match(all.stdout, new RegExp(`\\[edited\\] run_bad: event 2 \\(row ${id}, RunResumed\\) was edited`));
    const good = await runCli(['audit', 'verify', '--run', 'run_good'], env);
    assert.equal(good.code, 0);
    const json = JSON.parse((await runCli(['audit', 'verify', '--run', 'run_bad', '--json'], env)).stdout) as { problems: Array<{ kind: string; id: number }> };
    assert.deepEqual(json.problems.map((p) => [p.kind, p.id]), [['edited', id]]);
  });

  it('reports every row as forged under a different key', async () => {
    const result = await runCli(['audit', 'verify', '--run', 'run_good'], { ...env, AURA_AUDIT_KEY: 'a-different-key-000000000000000' });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /\[forged\] run_good: event 1/);
  });

  it('names a cut tail hidden by moving the head back, against the checkpoint `aura audit checkpoint` wrote', async () => {
    const written = await runCli(['audit', 'checkpoint'], env);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, /Signed checkpoint of 3 chain head\(s\) written to .*heads-checkpoint\.json/);
    const previous = (await store.query<{ hash: string }>("SELECT hash FROM aura.events WHERE stream = 'run_cut' AND seq = 3")).rows[0]!.hash;
    await tamper(store, async (tx) => {
      await tx.query("DELETE FROM aura.events WHERE stream = 'run_cut' AND seq = 4");
      await tx.query("UPDATE aura.event_heads SET seq = 3, hash = $1 WHERE stream = 'run_cut'", [previous]);
    });
    const result = await runCli(['audit', 'verify', '--run', 'run_cut'], env);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /against the signed checkpoint of/);
    assert.match(result.stdout, /\[truncated\] run_cut: event 4 is missing from the end/);
  });

  it('rejects unknown options with usage', async () => {
    const result = await runCli(['audit', 'check'], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage: aura audit verify/);
  });
});
