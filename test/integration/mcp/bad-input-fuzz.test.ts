// Property test: thousands of generated bad inputs at every tool, over Streamable HTTP and over stdio — never a crash,
// never an internal error, never a half-applied change.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { FUZZ_RUNS, fuzzEveryTool } from './support/fuzz-tools';
import { httpClient, seededHome, startTestHttp, stdioClient, testCore, tokenFor } from './support/mcp-harness';
import { buildWorld, callOk, seeds } from './support/tool-scenarios';

async function stillServes(client: Client): Promise<void> {
  await client.ping();
  const listed = await callOk<{ employees: unknown[] }>(client, 'list_employees', {});
  assert.ok(Array.isArray(listed.employees));
}

describeStores(
  'bad input at every tool over Streamable HTTP',
  (ctx) => {
    let server: McpHttpServer;
    let client: Client;
    before(async () => {
      const core = testCore(ctx.store);
      server = await startTestHttp(core);
      client = await httpClient(server.url, await tokenFor(core, 'director'));
    });
    after(async () => {
      await client?.close();
      await server?.close();
    });

    it(`refuses ${FUZZ_RUNS} generated bad calls per tool with InvalidParams or a clear tool error, changing nothing`, async function () {
      this.timeout(600_000);
      const world = await buildWorld(client, 'http');
      const calls = await fuzzEveryTool(client, seeds(world));
      assert.ok(calls >= FUZZ_RUNS * server.runtime.tools.length);
      await stillServes(client);
    });
  },
  { only: 'postgres' },
);

describe('bad input at every tool over stdio (embedded database)', function () {
  this.timeout(600_000);
  let client: Client;
  before(async () => {
    ({ client } = await stdioClient({ AURA_HOME: await seededHome() }));
  });
  after(async () => client?.close());

  it(`refuses ${FUZZ_RUNS} generated bad calls per tool with InvalidParams or a clear tool error, changing nothing`, async () => {
    const world = await buildWorld(client, 'stdio');
    await fuzzEveryTool(client, seeds(world));
    await stillServes(client);
  });
});
