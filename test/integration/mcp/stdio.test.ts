// `aura mcp` over stdio: the local Director by default, a token's role when given one, and a relay to `aura serve`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { openPgliteStore } from '../../../adapters/store-pglite/pglite-store';
import { createTokenStore } from '../../../mcp-server/auth/token-store';
import { childEnv, freePort, startServe } from '../../support/cli';
import { seededHome, stdioClient, testCore } from './support/mcp-harness';

/** Creates a token directly in a home's embedded database (no process holds it yet). */
async function seedToken(home: string, role: 'viewer' | 'director'): Promise<string> {
  const store = await openPgliteStore({ dataDir: path.join(home, 'db') });
  try {
    return (await createTokenStore(testCore(store)).create({ role, name: `seeded-${role}` }, 'director:test')).secret;
  } finally {
    await store.close();
  }
}

describe('aura mcp over stdio', function () {
  this.timeout(120_000);

  it('serves the local Director on a fresh embedded database, with logs only on stderr', async () => {
    const home = await seededHome();
    const { client, stderr } = await stdioClient({ AURA_HOME: home, AURA_LOG_LEVEL: 'info' });
    const errors: Error[] = [];
    client.onerror = (e) => errors.push(e);
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(tools.includes('hire_employee') && tools.includes('terminate_employee'), 'Director-only tools are listed');
      const hired = await client.callTool({ name: 'hire_employee', arguments: { name: 'stdio-ann', provider: 'in-process', model: 'echo' } });
      assert.equal(hired.isError, undefined);
      const events = await client.callTool({ name: 'query_events', arguments: { types: ['EmployeeHired'] } });
      const hiredEvent = (events.structuredContent as { events: Array<{ actor: string }> }).events[0]!;
      assert.equal(hiredEvent.actor, 'director:local');
    } finally {
      await client.close();
    }
    assert.deepEqual(errors, [], 'stdout carried nothing but protocol messages');
    assert.match(stderr(), /"msg":"aura mcp is serving on stdio"/);
  });

  it('runs as a token role when AURA_MCP_TOKEN is set: a viewer sees no changing tools and is refused them', async () => {
    const home = await seededHome();
    const token = await seedToken(home, 'viewer');
    const { client } = await stdioClient({ AURA_HOME: home, AURA_MCP_TOKEN: token });
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(tools.includes('list_employees'));
      assert.ok(!tools.includes('hire_employee'));
      const refused = await client.callTool({ name: 'hire_employee', arguments: { name: 'x', provider: 'in-process', model: 'm' } });
      assert.equal(refused.isError, true);
      assert.match((refused.content as Array<{ text: string }>)[0]!.text, /^forbidden: The viewer role may not call hire_employee/);
    } finally {
      await client.close();
    }
  });

  it('relays to a running aura serve on the same home instead of failing on the database lock', async () => {
    const home = await seededHome();
    const [api, mcp, ui] = [await freePort(), await freePort(), await freePort()];
    const serve = await startServe(childEnv({ AURA_HOME: home, AURA_API_PORT: String(api), AURA_MCP_PORT: String(mcp), AURA_UI_PORT: String(ui), AURA_GATEWAY_PORT: String(await freePort()) }));
    try {
      const state = JSON.parse(fs.readFileSync(path.join(home, 'serve.json'), 'utf8')) as { mcpUrl: string };
      assert.equal(state.mcpUrl, `http://127.0.0.1:${mcp}/mcp`);
      const { client, stderr } = await stdioClient({ AURA_HOME: home, AURA_LOG_LEVEL: 'info' }, ['--tools', 'core']);
      try {
        const tools = (await client.listTools()).tools.map((t) => t.name);
        assert.ok(tools.includes('list_employees') && !tools.includes('hire_employee'), 'the core tool set was asked for through the relay');
        const listed = await client.callTool({ name: 'list_employees', arguments: {} });
        assert.deepEqual(listed.structuredContent, { employees: [] });
        await assert.rejects(
          client.callTool({ name: 'list_employees', arguments: { status: 'nope' } }),
          (e: unknown) => e instanceof McpError && e.code === -32602,
        );
        assert.match(stderr(), /relaying stdio to the running aura serve/);
      } finally {
        await client.close();
      }
    } finally {
      assert.equal(await serve.stop('SIGTERM'), 0);
    }
    assert.ok(!fs.existsSync(path.join(home, 'secrets', 'mcp-local.token')), 'the local token is removed on shutdown');
  });
});
