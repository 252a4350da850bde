// The role × tool table, cell by cell: HTTP refuses a forbidden call with 403, a session refuses it with a tool error,
// an allowed call reaches the tool; tools/list shows each role exactly its tools.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { type CallToolResult, McpError } from '@modelcontextprotocol/sdk/types.js';
import { createEmployeeRegistry } from '../../../core/workforce/employee-registry';
import { type Principal, type Role, roles } from '../../../mcp-server/auth/roles';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { eventCount, httpClient, startTestHttp, testCore, tokenFor } from './support/mcp-harness';

/** Every input schema is strict, so this probe is InvalidParams for any tool a role may call. */
const PROBE = { __role_table_probe__: true };

describeStores('MCP role × tool table', (ctx) => {
  let server: McpHttpServer;
  let core: ReturnType<typeof testCore>;
  const clients = new Map<Role, Client>();
  let employeeId: string;

  before(async function () {
    this.timeout(60_000);
    core = testCore(ctx.store);
    server = await startTestHttp(core);
    employeeId = (await createEmployeeRegistry(core).hire({ name: `role-table-${ctx.kind}`, provider: 'in-process', model: 'echo' }, 'director:test')).id;
    for (const role of roles) clients.set(role, await httpClient(server.url, await tokenFor(core, role, role === 'employee' ? employeeId : undefined)));
  });
  after(async () => {
    for (const c of clients.values()) await c.close();
    await server?.close();
  });

  it('publishes strict input schemas (the probe below depends on it)', () => {
    for (const tool of server.runtime.tools) assert.equal(tool.input.safeParse(PROBE).success, false, tool.name);
  });

  for (const role of roles) {
    it(`lists to a ${role} exactly the tools its role may call`, async () => {
      const listed = (await clients.get(role)!.listTools()).tools.map((t) => t.name).sort();
      const expected = server.runtime.tools.filter((t) => t.roles.includes(role)).map((t) => t.name).sort();
      assert.deepEqual(listed, expected);
    });

    it(`over HTTP: every tool a ${role} may not call answers 403, every other reaches the tool`, async function () {
      this.timeout(60_000);
      const before = await eventCount(ctx.store);
      const wrong: string[] = [];
      for (const tool of server.runtime.tools) {
        const allowed = tool.roles.includes(role);
        const outcome = await clients.get(role)!.callTool({ name: tool.name, arguments: PROBE }).then(
          (r) => ({ kind: 'result' as const, r: r as CallToolResult }),
          (e: unknown) => ({ kind: 'error' as const, e }),
        );
        const reached = outcome.kind === 'error' && outcome.e instanceof McpError && outcome.e.code === -32602;
        const refused = outcome.kind === 'error' && outcome.e instanceof StreamableHTTPError && outcome.e.code === 403;
        if (allowed ? !reached : !refused) wrong.push(`${role} → ${tool.name}: expected ${allowed ? "the tool's InvalidParams" : 'HTTP 403'}`);
      }
      // Every wrong cell is named, not only the first.
      assert.deepEqual(wrong, []);
      // A refused call is recorded by nobody and changes nothing.
      assert.equal(await eventCount(ctx.store), before);
    });

    it(`inside a session: every tool a ${role} may not call is a forbidden tool error`, async () => {
      const principal: Principal = { role, tokenId: `tok_${role}`, name: role, employeeId: role === 'employee' ? employeeId : null, workspaceId: 'default' };
      const session = server.runtime.openSession(principal, { kind: 'full' }, 'stdio');
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await session.server.connect(serverSide);
      const client = new Client({ name: 'in-memory', version: '1' });
      await client.connect(clientSide);
      const wrong: string[] = [];
      try {
        for (const tool of server.runtime.tools) {
          const allowed = tool.roles.includes(role);
          const outcome = await client.callTool({ name: tool.name, arguments: PROBE }).then(
            (r) => r as CallToolResult,
            (e: unknown) => e,
          );
          const reached = outcome instanceof McpError && outcome.code === -32602;
          const text = (outcome as CallToolResult).content?.[0] as { text?: string } | undefined;
          const refused = (outcome as CallToolResult).isError === true && new RegExp(`^forbidden: The ${role} role may not call ${tool.name}`).test(text?.text ?? '');
          if (allowed ? !reached : !refused) wrong.push(`${role} → ${tool.name}: expected ${allowed ? "the tool's InvalidParams" : 'a forbidden tool error'}`);
        }
        assert.deepEqual(wrong, []);
      } finally {
        await client.close();
        await session.close();
      }
    });
  }
});
