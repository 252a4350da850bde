// Every tool through the SDK's Client over Streamable HTTP: a Director token and an external agent's employee token.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { httpClient, startTestHttp, testCore, tokenFor } from './support/mcp-harness';
import { runTour } from './support/tour';

describeStores('the MCP tour over Streamable HTTP', (ctx) => {
  let server: McpHttpServer;
  let director: Client;
  let core: ReturnType<typeof testCore>;
  before(async () => {
    core = testCore(ctx.store);
    server = await startTestHttp(core);
    director = await httpClient(server.url, await tokenFor(core, 'director'));
  });
  after(async () => {
    await director?.close();
    await server?.close();
  });

  it('drives every tool, a whole run from submit_prd to completion, approvals, dead letters and a live subscription', async function () {
    this.timeout(180_000);
    const { called, listed } = await runTour(director, {
      tag: ctx.kind,
      connectAgent: async (employeeId) => httpClient(server.url, await tokenFor(core, 'employee', employeeId)),
    });
    assert.deepEqual(server.runtime.tools.map((t) => t.name).filter((n) => !called.has(n)), [], 'every tool was called');
    assert.deepEqual([...new Set(listed)].sort(), server.runtime.tools.map((t) => t.name).sort());
  });
});
