// `aura memory`: put, get (by version and as of a time), history with a diff, search, list, and a delete that asks for --yes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../../core/store/migrations';
import type { Store } from '../../../core/store/store';
import { childEnv, runCli } from '../../support/cli';
import { TEST_AUDIT_KEY } from '../../support/events';
import { createPgDatabase, migrations, type TestDatabase } from '../../support/stores';

describe('aura memory', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let store: Store;
  let env: NodeJS.ProcessEnv;
  let file: string;

  before(async () => {
    db = await createPgDatabase();
    store = await db.open();
    await migrate(store, migrations());
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-home-'));
    env = childEnv({ DATABASE_URL: db.url, AURA_AUDIT_KEY: TEST_AUDIT_KEY, AURA_HOME: home, AURA_LOG_LEVEL: 'warn' });
    file = path.join(home, 'note.md');
  });
  after(async () => {
    await store.close();
    await db.drop();
  });

  it('writes two versions and reads the first back by number', async () => {
    fs.writeFileSync(file, '# Database\n\nWe use PostgreSQL 16.\n');
    assert.equal((await runCli(['memory', 'put', 'project', 'architecture/database', '--file', file, '--tag', 'arch'], env)).code, 0);
    const second = await runCli(['memory', 'put', 'project', 'architecture/database', '--content', '# Database\n\nWe use PostgreSQL 17.\n', '--tag', 'arch'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /memory:\/\/project\/default\/architecture\/database {2}v2 {2}director:cli/);
    const first = await runCli(['memory', 'get', 'project', 'architecture/database', '--version', '1'], env);
    assert.match(first.stdout, /PostgreSQL 16/);
  });

  it('shows the history with a diff between versions', async () => {
    const result = await runCli(['memory', 'history', 'project', 'architecture/database', '--diff', '1..2'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^v2 .*\nv1 /m);
    assert.match(result.stdout, /-We use PostgreSQL 16\.\n\+We use PostgreSQL 17\./);
  });

  it('searches and lists as JSON', async () => {
    const search = JSON.parse((await runCli(['memory', 'search', 'PostgreSQL', '--scope', 'project', '--json'], env)).stdout) as { mode: string; hits: Array<{ key: string }> };
    assert.equal(search.mode, 'keyword');
    assert.deepEqual(search.hits.map((h) => h.key), ['architecture/database']);
    const list = JSON.parse((await runCli(['memory', 'list', '--scope', 'project', '--json'], env)).stdout) as Array<{ key: string; version: number }>;
    assert.deepEqual(list.map((e) => [e.key, e.version]), [['architecture/database', 2]]);
  });

  it('deletes only with --yes, recording the deletion', async () => {
    const refused = await runCli(['memory', 'delete', 'project', 'architecture/database'], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /needs --yes/);
    const deleted = await runCli(['memory', 'delete', 'project', 'architecture/database', '--yes', '--reason', 'moved to the wiki'], env);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /version 3 is its tombstone/);
    const gone = await runCli(['memory', 'get', 'project', 'architecture/database'], env);
    assert.equal(gone.code, 5); // the CLI's exit code for not found
    assert.match(gone.stderr, /No memory entry project\/default\/architecture\/database/);
    assert.equal((await store.query(`SELECT 1 FROM aura.events WHERE type = 'MemoryDeleted'`)).rowCount, 1);
  });
});
