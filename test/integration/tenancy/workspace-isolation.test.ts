// Two team workspaces over real MCP (Streamable HTTP, SDK clients): a token of B sees nothing of A through any tool,
// resource or subscription, cannot act on A's objects (each answers exactly as an id that does not exist), memory is
// each workspace's own (tools and memory:// resources), and what is not divided into workspaces yet is not offered to
// B at all.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, McpError, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createWorkspaceService } from '../../../core/tenancy/workspace-service';
import { createTokenStore } from '../../../mcp-server/auth/token-store';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { waitFor } from '../manager/manager-harness';
import { httpClient, startTestHttp, testCore } from '../mcp/support/mcp-harness';
import { callOk, seeds } from '../mcp/support/tool-scenarios';

const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
const idArgs = ['runId', 'taskId', 'approvalId', 'employeeId'] as const;
const kindOf: Record<(typeof idArgs)[number], string> = { runId: 'run', taskId: 'task', approvalId: 'approval', employeeId: 'employee' };
const missingId: Record<(typeof idArgs)[number], string> = { runId: 'run_00nosuch0000', taskId: 'task_00nosuch0000', approvalId: 'apr_00nosuch0000', employeeId: 'emp_00nosuch0000' };

describeStores('Team workspaces over MCP', (ctx) => {
  let server: McpHttpServer;
  let a: Client;
  let b: Client;
  const ids = { runId: '', taskId: '', approvalId: '', employeeId: '', tokenId: '' };

  before(async function () {
    this.timeout(60_000);
    const core = testCore(ctx.store);
    server = await startTestHttp(core);
    const workspaces = createWorkspaceService(core);
    await workspaces.create({ id: 'team-a', name: 'Team A' }, 'director:test');
    await workspaces.create({ id: 'team-b', name: 'Team B' }, 'director:test');
    const tokens = createTokenStore(core);
    const ta = await tokens.create({ role: 'director', name: 'alice', workspaceId: 'team-a' }, 'director:test');
    const tb = await tokens.create({ role: 'director', name: 'bruno', workspaceId: 'team-b' }, 'director:test');
    ids.tokenId = ta.token.id;
    a = await httpClient(server.url, ta.secret);
    b = await httpClient(server.url, tb.secret);
    ids.employeeId = (await callOk<{ employee: { id: string } }>(a, 'hire_employee', { name: `alices-${ctx.kind}`, provider: 'in-process', model: 'scripted' })).employee.id;
    const run = (
      await callOk<{ run: { id: string } }>(a, 'submit_prd', { prd: '# Secret plan of A\n- `draft`: Draft the design\n- `gate`: Approve the design (after `draft`)\n- `build`: Build it (after `gate`)\n' })
    ).run;
    ids.runId = run.id;
    const approval = await waitFor(ctx.store, async () => (await callOk<{ approvals: Array<{ id: string; taskId: string }> }>(a, 'list_approvals', { runId: run.id })).approvals[0], 30_000, "A's approval");
    ids.approvalId = approval.id;
    ids.taskId = approval.taskId;
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await server?.close();
  });

  it("keeps A's own view whole: its run, task, approval and employee", async () => {
    assert.equal((await callOk<{ run: { id: string } }>(a, 'get_run', { runId: ids.runId })).run.id, ids.runId);
    assert.ok((await callOk<{ runs: Array<{ id: string }> }>(a, 'list_runs', {})).runs.some((r) => r.id === ids.runId));
    assert.deepEqual((await callOk<{ employees: Array<{ id: string }> }>(a, 'list_employees', {})).employees.map((e) => e.id), [ids.employeeId]);
    const events = await callOk<{ events: Array<{ type: string }> }>(a, 'query_events', { limit: 500 });
    assert.ok(events.events.some((e) => e.type === 'EmployeeHired'));
  });

  it("answers every tool B may call on A's objects exactly as on ids that do not exist, and changes nothing", async function () {
    this.timeout(60_000);
    const before = await callOk<{ events: unknown[] }>(a, 'query_events', { runId: ids.runId, limit: 500 });
    const listed = (await b.listTools()).tools.map((t) => t.name);
    let checked = 0;
    for (const name of listed) {
      const seed = seeds[name];
      const named = idArgs.filter((k) => seed && k in seed);
      if (!seed || named.length === 0) continue;
      const { replyTo: _reply, ...args } = seed as Record<string, unknown>;
      for (const k of named) args[k] = ids[k];
      const foreign = (await b.callTool({ name, arguments: args })) as CallToolResult;
      const first = named[0]!;
      assert.equal(foreign.isError, true, `${name} answered B about A's ${first}`);
      assert.equal(text(foreign), `not_found: No ${kindOf[first]} with id "${ids[first]}".`, name);
      const missing = (await b.callTool({ name, arguments: { ...args, [first]: missingId[first] } })) as CallToolResult;
      assert.equal(text(missing), `not_found: No ${kindOf[first]} with id "${missingId[first]}".`, `${name} on an id that does not exist reads the same`);
      checked++;
    }
    assert.ok(checked >= 20, `${checked} tools checked`);
    const after = await callOk<{ events: unknown[] }>(a, 'query_events', { runId: ids.runId, limit: 500 });
    assert.equal(after.events.length, before.events.length, "nothing happened to A's run");
    assert.equal((await callOk<{ employees: Array<{ status: string }> }>(a, 'list_employees', {})).employees[0]!.status, 'hired');
    assert.equal((await callOk<{ approvals: unknown[] }>(a, 'list_approvals', {})).approvals.length, 1, "A's approval still waits");
  });

  it('shows B nothing of A in any list, the event log, the scores or resources', async () => {
    const secrets = [ids.runId, ids.taskId, ids.approvalId, ids.employeeId, ids.tokenId, 'team-a', 'Secret plan of A', `alices-${ctx.kind}`];
    const reads: Array<[string, Record<string, unknown>]> = [
      ['list_runs', {}],
      ['list_tasks', {}],
      ['list_dead_letters', {}],
      ['list_approvals', { status: 'pending' }],
      ['query_events', { limit: 500 }],
      ['list_employees', {}],
      ['get_scores', { includeUnrated: true }],
    ];
    for (const [name, args] of reads) {
      const body = JSON.stringify(await callOk(b, name, args));
      for (const s of secrets) assert.ok(!body.includes(s), `${name} showed B ${s}`);
    }
    const cursor = (await b.callTool({ name: 'list_runs', arguments: { before: ids.runId } })) as CallToolResult;
    assert.equal(text(cursor), `not_found: No run with id "${ids.runId}".`, "A's run as a paging cursor");
    const bEvents = await callOk<{ events: Array<{ type: string; payload: { workspaceId?: string } }> }>(b, 'query_events', { limit: 500 });
    assert.ok(bEvents.events.some((e) => e.type === 'WorkspaceCreated' && e.payload.workspaceId === 'team-b'), "B sees its own workspace's events");
    for (const uri of ['aura://runs', 'aura://employees']) {
      const body = ((await b.readResource({ uri })).contents[0] as { text: string }).text;
      for (const s of secrets) assert.ok(!body.includes(s), `${uri} showed B ${s}`);
    }
    for (const uri of [`aura://runs/${ids.runId}`, `aura://runs/${ids.runId}/events`, `aura://runs/${ids.runId}/chat`, `aura://tasks/${ids.taskId}`]) {
      await assert.rejects(b.readResource({ uri }), (e: unknown) => e instanceof McpError && e.code === -32002, uri);
      await assert.rejects(b.subscribeResource({ uri }), (e: unknown) => e instanceof McpError && e.code === -32002, `subscribe ${uri}`);
    }
    const listedResources = JSON.stringify(await b.listResources());
    assert.ok(!listedResources.includes(ids.runId));
    assert.ok(JSON.stringify(await b.listResourceTemplates()).includes('memory://'), "memory is offered to B (its own workspace's)");
  });

  it("does not tell B's subscription of aura://runs about A's new runs, and does about B's", async function () {
    this.timeout(30_000);
    const uris: string[] = [];
    let wake: () => void = () => undefined;
    b.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      uris.push(n.params.uri);
      wake();
    });
    await b.subscribeResource({ uri: 'aura://runs' });
    const aRun = (await callOk<{ run: { id: string } }>(a, 'submit_prd', { prd: '# Another of A\n- `x`: X\n' })).run;
    await waitFor(ctx.store, async () => (await callOk<{ run: { status: string } }>(a, 'get_run', { runId: aRun.id })).run.status === 'succeeded', 20_000, "A's second run");
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const bRun = (await callOk<{ run: { id: string } }>(b, 'submit_prd', { prd: '# One of B\n- `y`: Y\n' })).run;
    await woken;
    assert.deepEqual(uris, ['aura://runs'], 'one update, for B’s run only');
    await callOk(b, 'cancel_run', { runId: bRun.id, reason: 'done' });
  });

  it("keeps each workspace's integrations apart: connectors, held writes and their approvals", async () => {
    const slack = { kind: 'slack', baseUrl: 'http://127.0.0.1:9', credentialRef: 'env:AURA_TEST_NO_SUCH_SLACK_TOKEN' };
    const mine = await callOk<{ connector: { workspaceId: string } }>(a, 'configure_integration', { name: 'ops', ...slack });
    assert.equal(mine.connector.workspaceId, 'team-a');
    const held = await callOk<{ call: { id: string; workspaceId: string }; heldForApproval: boolean }>(a, 'call_integration', { connector: 'ops', method: 'post_message', params: { channel: 'secret-a', text: 'Secret plan of A' } });
    assert.deepEqual([held.heldForApproval, held.call.workspaceId], [true, 'team-a']);
    assert.ok((await callOk<{ approvals: Array<{ id: string }> }>(a, 'list_approvals', { status: 'pending' })).approvals.some((x) => x.id === held.call.id), "A's write waits among A's approvals");
    assert.deepEqual((await callOk<{ connectors: unknown[] }>(b, 'list_integrations', {})).connectors, []);
    const bApprovals = JSON.stringify(await callOk(b, 'list_approvals', { status: 'pending' }));
    assert.ok(!bApprovals.includes(held.call.id) && !bApprovals.includes('Secret plan of A'), "B sees A's held write");
    for (const name of ['approve', 'reject'] as const) {
      const answer = (await b.callTool({ name, arguments: { approvalId: held.call.id, ...(name === 'reject' ? { reason: 'no' } : {}) } })) as CallToolResult;
      assert.equal(text(answer), `not_found: No integration call with id "${held.call.id}".`, name);
    }
    const check = (await b.callTool({ name: 'check_integration', arguments: { name: 'ops' } })) as CallToolResult;
    assert.equal(check.isError, true, "B checked A's connector");
    const theirs = await callOk<{ connector: { workspaceId: string } }>(b, 'configure_integration', { name: 'ops', ...slack });
    assert.equal(theirs.connector.workspaceId, 'team-b', 'the same name in another workspace is another connector');
    assert.equal((await callOk<{ connectors: unknown[] }>(a, 'list_integrations', {})).connectors.length, 1);
    const stillHeld = (await callOk<{ approvals: Array<{ id: string; status?: string }> }>(a, 'list_approvals', { status: 'pending' })).approvals.find((x) => x.id === held.call.id);
    assert.ok(stillHeld, "A's write still waits for A's Director");
  });

  it('offers B none of what is not divided into workspaces yet, and refuses it when called anyway', async () => {
    const names = (await b.listTools()).tools.map((t) => t.name);
    for (const hidden of ['list_policies', 'set_policies', 'subscribe_webhook', 'save_template', 'verify_audit', 'get_evidence']) {
      assert.ok(!names.includes(hidden), `${hidden} listed for B`);
    }
    const refused = (await b.callTool({ name: 'list_policies', arguments: {} })) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.match(text(refused), /^forbidden: list_policies works on what is not divided into team workspaces yet/);
    assert.ok(names.includes('submit_prd') && names.includes('query_events'));
  });

  it("offers B the memory tools, scoped to B's memory: the same key holds each workspace's own entry", async () => {
    const names = (await b.listTools()).tools.map((t) => t.name);
    for (const offered of ['memory_search', 'memory_get', 'memory_put', 'memory_history', 'memory_list', 'memory_delete', 'resolve_memory_proposal']) assert.ok(names.includes(offered), `${offered} not listed for B`);
    type Entry = { entry: { content: string; version: number; uri: string } };
    await callOk(a, 'memory_put', { scope: 'project', key: 'plans/launch', content: 'Secret plan of A: launch the albatross.' });
    await callOk(a, 'memory_put', { scope: 'org', key: 'only-a/codename', content: 'Secret plan of A is codenamed albatross.' });
    const bPut = await callOk<Entry>(b, 'memory_put', { scope: 'project', key: 'plans/launch', content: 'B launches the pelican.' });
    assert.equal(bPut.entry.version, 1, "B's entry is its own, not a version of A's");
    assert.equal((await callOk<Entry>(a, 'memory_get', { scope: 'project', key: 'plans/launch' })).entry.content, 'Secret plan of A: launch the albatross.');
    assert.equal((await callOk<Entry>(b, 'memory_get', { scope: 'project', key: 'plans/launch' })).entry.content, 'B launches the pelican.');
    const bHistory = await callOk<{ versions: Array<{ version: number; author: string }> }>(b, 'memory_history', { scope: 'project', key: 'plans/launch' });
    assert.deepEqual(bHistory.versions.map((v) => v.version), [1]);
    for (const [name, args] of [
      ['memory_search', { query: 'albatross', mode: 'keyword' }],
      ['memory_search', { query: 'secret plan launch', match: 'any' }],
      ['memory_list', {}],
      ['memory_list', { scope: 'org' }],
      ['resolve_memory_proposal', {}],
    ] as const) {
      const body = JSON.stringify(await callOk(b, name, args));
      assert.ok(!body.includes('albatross'), `${name} showed B A's memory`);
    }
    assert.deepEqual((await callOk<{ hits: Array<{ content: string }> }>(b, 'memory_search', { query: 'pelican', mode: 'keyword' })).hits.map((h) => h.content), ['B launches the pelican.']);
    for (const [name, args] of [
      ['memory_get', { scope: 'org', key: 'only-a/codename' }],
      ['memory_get', { scope: 'org', key: 'only-a/codename', asOf: { at: new Date(Date.now() + 60_000).toISOString() } }],
      ['memory_history', { scope: 'org', key: 'only-a/codename' }],
      ['memory_delete', { scope: 'org', key: 'only-a/codename' }],
    ] as const) {
      const answer = (await b.callTool({ name, arguments: args })) as CallToolResult;
      assert.equal(answer.isError, true, `${name}: ${text(answer)}`);
      // Worded as for an entry that never existed (now, or as of that time).
      assert.match(text(answer), /^not_found: (No memory entry )?org\/[^/]+\/only-a\/codename( did not exist as of |,? now or before|\.)/, `${name}: ${text(answer)}`);
    }
    const bEvents = JSON.stringify(await callOk(b, 'query_events', { limit: 500 }));
    assert.ok(!bEvents.includes('only-a/codename') && bEvents.includes('plans/launch'), "B's log has its own memory events, not A's");
    assert.equal((await callOk<Entry>(a, 'memory_get', { scope: 'org', key: 'only-a/codename' })).entry.version, 1, "B's delete left A's entry");

    const read = async (client: Client, uri: string) => ((await client.readResource({ uri })).contents[0] as { text: string }).text;
    assert.match(await read(b, bPut.entry.uri), /pelican/);
    assert.match(await read(a, bPut.entry.uri), /albatross/);
    assert.ok(!(await read(b, 'memory://org/default')).includes('albatross'));
    assert.ok(!JSON.stringify(await b.listResources()).includes('only-a'));
    await assert.rejects(b.readResource({ uri: 'memory://org/default/only-a/codename' }), (e: unknown) => e instanceof McpError && e.code === -32002);
  });
});
