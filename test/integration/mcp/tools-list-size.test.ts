// The context cost of tools/list: the full set and the `core` set for agents, in tokens (characters / 4), as
// documented in docs/mcp.md; the core set stays under 8k tokens.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { localDirector, type Principal } from '../../../mcp-server/auth/roles';
import { openAuraServices } from '../../../mcp-server/mcp/compose/open-aura-services';
import { createMcpRuntime, type McpRuntime } from '../../../mcp-server/mcp/mcp-runtime';
import { CORE_TOOL_NAMES, parseToolSelection } from '../../../mcp-server/mcp/tool-sets';
import { describeStores } from '../../support/stores';
import { testCore, testWorkforce } from './support/mcp-harness';

/** Tokens of the tools/list result as a client receives it (the JSON-RPC result), approximated as characters / 4. */
async function listTokens(runtime: McpRuntime, principal: Principal, tools: string): Promise<{ tokens: number; count: number }> {
  const session = runtime.openSession(principal, parseToolSelection(tools, runtime.tools.map((t) => t.name), 'tools'), 'stdio');
  const [a, b] = InMemoryTransport.createLinkedPair();
  await session.server.connect(b);
  const client = new Client({ name: 'size', version: '1' });
  await client.connect(a);
  const listed = await client.listTools();
  await client.close();
  await session.close();
  return { tokens: Math.round(JSON.stringify(listed).length / 4), count: listed.tools.length };
}

describeStores(
  'tools/list size',
  (ctx) => {
    it('keeps the core tool set under 8k tokens and the documented figures current', async () => {
      const core = testCore(ctx.store);
      const aura = await openAuraServices(core, { inProcess: testWorkforce().factory, start: false });
      const runtime = await createMcpRuntime(core, { services: aura });
      try {
        const employee: Principal = { role: 'employee', tokenId: 't', name: 'agent', employeeId: 'emp_x', workspaceId: 'default' };
        const full = await listTokens(runtime, localDirector, 'full');
        const coreSet = await listTokens(runtime, localDirector, 'core');
        const channel = await listTokens(runtime, employee, 'full');
        assert.equal(full.count, 54);
        assert.ok(coreSet.tokens < 8000, `core set is ${coreSet.tokens} tokens`);
        console.log(`      tools/list: full ${full.count} tools ${full.tokens} tokens; core ${coreSet.count} tools ${coreSet.tokens}; employee ${channel.count} tools ${channel.tokens}`);
        // docs/mcp.md states these figures; a change of more than 10% must be written there too.
        const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'mcp.md'), 'utf8');
        const stated = (label: string) => Number(new RegExp(`${label}: ~?([0-9,]+) tokens`).exec(doc)?.[1]?.replace(/,/g, '') ?? NaN);
        for (const [label, measured] of [['full set', full.tokens], ['core set', coreSet.tokens], ['employee channel', channel.tokens]] as const) {
          const s = stated(label);
          assert.ok(Math.abs(s - measured) / measured <= 0.1, `docs/mcp.md says ${label}: ${s} tokens; measured ${measured}`);
        }
      } finally {
        await runtime.close();
      }
    });
  },
  { only: 'pglite' },
);

describeStores(
  'docs/mcp.md role table',
  (ctx) => {
    it('states exactly the roles, annotations and core membership the tools declare', async () => {
      const core = testCore(ctx.store);
      const aura = await openAuraServices(core, { inProcess: testWorkforce().factory, start: false });
      const runtime = await createMcpRuntime(core, { services: aura });
      try {
        const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'mcp.md'), 'utf8');
        const table = /<!-- role-table:start -->\n([\s\S]*?)<!-- role-table:end -->/.exec(doc)![1]!;
        const rows = table.split('\n').filter((l) => l.startsWith('| `'));
        const y = (b: boolean) => (b ? 'yes' : '—');
        const expected = runtime.tools.map(
          (t) =>
            `| \`${t.name}\` | ${t.group} | ${y(t.roles.includes('director'))} | ${y(t.roles.includes('operator'))} | ${y(t.roles.includes('viewer'))} | ${y(t.roles.includes('employee'))} | ${y(t.annotations.readOnlyHint)} | ${y(t.annotations.destructiveHint)} | ${y(t.annotations.idempotentHint)} | ${y(CORE_TOOL_NAMES.includes(t.name))} |`,
        );
        assert.deepEqual(rows, expected);
      } finally {
        await runtime.close();
      }
    });
  },
  { only: 'pglite' },
);
