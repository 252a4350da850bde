// Every tool through the SDK's Client over stdio: `aura mcp` as the local Director, and a second `aura mcp` run by an
// external agent with its employee token, both on one PostgreSQL (the embedded database admits one process).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { openContainerRuntime } from '../../../adapters/containers/open-container-runtime';
import { loadConfig } from '../../../core/config/config';
import { migrate } from '../../../core/store/migrations';
import type { Store } from '../../../core/store/store';
import { createTokenStore } from '../../../mcp-server/auth/token-store';
import { TEST_AUDIT_KEY } from '../../support/events';
import { createPgDatabase, migrations, type TestDatabase } from '../../support/stores';
import { stdioClient, testCore, tmpHome } from './support/mcp-harness';
import { runTour } from './support/tour';

describe('the MCP tour over stdio', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  let store: Store;
  const clients: Client[] = [];
  const stderr: Array<() => string> = [];

  before(async () => {
    // A standalone `aura mcp` is a whole orchestrator: it runs work only while the container engine answers.
    const engine = await openContainerRuntime(loadConfig({ DOCKER_HOST: process.env.DOCKER_HOST })).runtime.ping();
    assert.ok(engine.ok, `this suite needs the Docker engine (DOCKER_HOST; test/run-all.sh provisions it): ${engine.ok ? '' : engine.detail}`);
    db = await createPgDatabase();
    store = await db.open();
    await migrate(store, migrations());
  });
  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await store?.close();
    await db?.drop();
  });

  it('drives every tool, a whole run from submit_prd to completion, approvals, dead letters and a live subscription', async function () {
    // One home and one audit key for both processes (and this test's token): they append to one hash-chained log.
    const env = { AURA_HOME: tmpHome(), DATABASE_URL: db.url, AURA_AUDIT_KEY: TEST_AUDIT_KEY, DOCKER_HOST: process.env.DOCKER_HOST };
    const director = await stdioClient(env);
    clients.push(director.client);
    stderr.push(director.stderr);
    try {
      const { called, listed } = await runTour(director.client, {
        tag: 'stdio',
        connectAgent: async (employeeId) => {
          const { secret } = await createTokenStore(testCore(store)).create({ role: 'employee', name: 'stdio-agent', employeeId }, 'director:test');
          const agent = await stdioClient({ ...env, AURA_MCP_TOKEN: secret });
          clients.push(agent.client);
          stderr.push(agent.stderr);
          return agent.client;
        },
      });
      const all = [...new Set(listed)].sort();
      // Every tool of the catalog, as the role table of docs/mcp.md states it (tools-list-size.test.ts keeps that current).
      const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'mcp.md'), 'utf8');
      const documented = [.../<!-- role-table:start -->\n([\s\S]*?)<!-- role-table:end -->/.exec(doc)![1]!.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]!).sort();
      assert.deepEqual(all, documented, 'all tools listed');
      assert.deepEqual(all.filter((n) => !called.has(n)), [], 'every tool was called');
    } catch (error) {
      (error as Error).message += stderr.map((e) => `\n--- aura mcp stderr ---\n${e().slice(-3000)}`).join('');
      throw error;
    }
  });
});
