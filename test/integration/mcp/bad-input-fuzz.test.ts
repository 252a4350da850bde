// Property test: thousands of generated bad inputs at every tool, over Streamable HTTP and over stdio — never a crash,
// never an internal error, never a half-applied change.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { openPgliteStore } from '../../../adapters/store-pglite/pglite-store';
import { createEmployeeRegistry } from '../../../core/workforce/employee-registry';
import { createTokenStore } from '../../../mcp-server/auth/token-store';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { FUZZ_RUNS, fuzzEveryTool } from './support/fuzz-tools';
import { httpClient, seededHome, startTestHttp, stdioClient, testCore, tokenFor } from './support/mcp-harness';
import { callOk, seeds } from './support/tool-scenarios';

async function stillServes(client: Client, probe: string): Promise<void> {
  await client.ping();
  await callOk(client, probe, {});
}

/** A home with one external-agent employee and its token, for the employee's own stdio process. */
async function employeeHome(): Promise<{ home: string; token: string }> {
  const home = await seededHome();
  const store = await openPgliteStore({ dataDir: path.join(home, 'db') });
  try {
    const core = testCore(store);
    const employee = await createEmployeeRegistry(core).hire({ name: 'fuzzed-agent', provider: 'cli', model: 'agent' }, 'director:test');
    return { home, token: (await createTokenStore(core).create({ role: 'employee', name: 'fuzzed-agent', employeeId: employee.id }, 'director:test')).secret };
  } finally {
    await store.close();
  }
}

describeStores(
  'bad input at every tool over Streamable HTTP',
  (ctx) => {
    let server: McpHttpServer;
    let director: Client;
    let agent: Client;
    before(async () => {
      const core = testCore(ctx.store);
      server = await startTestHttp(core);
      director = await httpClient(server.url, await tokenFor(core, 'director'));
      const employee = await createEmployeeRegistry(core).hire({ name: 'fuzzed-agent', provider: 'cli', model: 'agent' }, 'director:test');
      agent = await httpClient(server.url, await tokenFor(core, 'employee', employee.id));
    });
    after(async () => {
      await agent?.close();
      await director?.close();
      await server?.close();
    });

    it(`refuses ${FUZZ_RUNS} generated bad calls per tool with InvalidParams or a clear tool error, changing nothing`, async function () {
      this.timeout(900_000);
      const calls = (await fuzzEveryTool(director, seeds, director)) + (await fuzzEveryTool(agent, seeds, director));
      assert.ok(calls >= FUZZ_RUNS * server.runtime.tools.length, `${calls} calls`);
      await stillServes(director, 'list_employees');
      await stillServes(agent, 'get_assignment');
    });
  },
  { only: 'postgres' },
);

describe('bad input at every tool over stdio (embedded database)', function () {
  this.timeout(900_000);
  const clients: Client[] = [];
  after(async () => {
    for (const c of clients) await c.close();
  });

  /** Runs `work`; when it fails, the server's stderr says why (a crash leaves only "connection closed" here). */
  const withStderr = async (stderr: () => string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      (error as Error).message += `\n--- aura mcp stderr ---\n${stderr().slice(-4000)}`;
      throw error;
    }
  };

  it(`refuses ${FUZZ_RUNS} generated bad calls per tool of the Director and of an employee, changing nothing`, async () => {
    const director = await stdioClient({ AURA_HOME: await seededHome() });
    clients.push(director.client);
    await withStderr(director.stderr, async () => {
      await fuzzEveryTool(director.client, seeds, director.client);
      await stillServes(director.client, 'list_employees');
    });
    const { home, token } = await employeeHome();
    const agent = await stdioClient({ AURA_HOME: home, AURA_MCP_TOKEN: token });
    clients.push(agent.client);
    // The employee's process holds its own database: it checks its own log through its own tools only.
    await withStderr(agent.stderr, async () => {
      await fuzzEveryTool(agent.client, seeds);
      await stillServes(agent.client, 'get_assignment');
    });
  });
});
