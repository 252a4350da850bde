// `aura replay RUN`: replays a run in its own process to the end and prints the comparison; exit 0 when it matched,
// 1 for a run that cannot be replayed, 2 for bad arguments.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../../core/store/migrations';
import type { Store } from '../../../core/store/store';
import { childEnv, runCli } from '../../support/cli';
import { TEST_AUDIT_KEY } from '../../support/events';
import { createPgDatabase, migrations, type TestDatabase } from '../../support/stores';
import { startManager, waitForRun } from '../manager/manager-harness';

describe('aura replay', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let store: Store;
  let env: NodeJS.ProcessEnv;
  let runId: string;

  before(async () => {
    db = await createPgDatabase();
    store = await db.open();
    await migrate(store, migrations());
    // A run of two approvals the Director answered: its replay needs no employee, only the record of the answers.
    const h = await startManager(store, { behaviour: () => () => undefined, hire: false });
    try {
      const run = await h.orchestrator.runs.submit({ prd: '## W\n- `one`: Approve the design (kind: approval)\n- `two`: Approve the release (kind: approval) (after `one`)\n' }, 'director');
      runId = run.id;
      for (const key of ['one', 'two']) {
        const task = (await waitForRun(store, h.orchestrator, run.id, ['running'])).tasks.find((t) => t.key === key)!;
        for (let i = 0; i < 50 && (await h.orchestrator.tasks.get(task.id)).status !== 'awaiting_approval'; i++) await new Promise((r) => setTimeout(r, 100));
        await h.orchestrator.tasks.resolveApproval(task.id, { approved: true, by: 'director' });
      }
      await waitForRun(store, h.orchestrator, run.id, ['succeeded']);
    } finally {
      await h.stop();
    }
    env = childEnv({ DATABASE_URL: db.url, AURA_AUDIT_KEY: TEST_AUDIT_KEY, AURA_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'aura-home-')), AURA_BUILD_IMAGE_ON_START: 'false', DOCKER_HOST: 'unix:///nonexistent.sock' });
  });
  after(async () => {
    await store.close();
    await db.drop();
  });

  it('replays the run to the end and exits 0 when every task matched', async () => {
    const result = await runCli(['replay', runId, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { originalRunId: string; diverged: boolean; final: boolean; tasks: Array<{ key: string; differences: string[] }> };
    assert.deepEqual([report.originalRunId, report.diverged, report.final], [runId, false, true]);
    assert.deepEqual(report.tasks.map((t) => [t.key, t.differences]), [['one', []], ['two', []]]);
  });

  it('refuses a run that does not exist (exit 5) and arguments it cannot use (exit 2), saying why', async () => {
    const missing = await runCli(['replay', 'run_nosuchrun'], env);
    assert.equal(missing.code, 5);
    assert.match(missing.stderr, /No run with id "run_nosuchrun"/);
    const bad = await runCli(['replay', runId, '--until', 'soon'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /until: .*number/i);
  });
});
