// The integration tools over MCP with a live Manager: the Director configures Slack, an operator's write becomes an
// approval, nothing is posted until the Director approves, then the runner (woken by the event) posts it once.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { startSlackStandIn, type SlackStandIn } from '../../support/integration-stand-ins/slack-stand-in';
import { describeStores } from '../../support/stores';
import { httpClient, startTestHttp, testCore, tokenFor } from '../mcp/support/mcp-harness';
import { callOk } from '../mcp/support/tool-scenarios';

const TOKEN = 'xoxb-tools-test-5c2d9e8f1a';

describeStores('integration tools', (ctx) => {
  let server: McpHttpServer;
  let director: Client;
  let operator: Client;
  let slack: SlackStandIn;

  before(async function () {
    this.timeout(60_000);
    process.env.AURA_TEST_TOOLS_SLACK_TOKEN = TOKEN;
    slack = await startSlackStandIn({ token: TOKEN });
    const core = testCore(ctx.store);
    server = await startTestHttp(core);
    director = await httpClient(server.url, await tokenFor(core, 'director'));
    operator = await httpClient(server.url, await tokenFor(core, 'operator'));
  });
  after(async () => {
    await director?.close();
    await operator?.close();
    await server?.close();
    await slack?.close();
    delete process.env.AURA_TEST_TOOLS_SLACK_TOKEN;
  });

  it('configures a connector (Director only), lists it with its methods and checks it', async () => {
    await assert.rejects(operator.callTool({ name: 'configure_integration', arguments: { name: 'ops', kind: 'slack', baseUrl: slack.url, credentialRef: 'env:AURA_TEST_TOOLS_SLACK_TOKEN' } }), /operator role may not call configure_integration/);
    const { connector } = await callOk<{ connector: { workspaceId: string; credentialRef: string } }>(director, 'configure_integration', { name: 'ops', kind: 'slack', baseUrl: slack.url, credentialRef: 'env:AURA_TEST_TOOLS_SLACK_TOKEN' });
    assert.deepEqual([connector.workspaceId, connector.credentialRef], ['default', 'env:AURA_TEST_TOOLS_SLACK_TOKEN']);
    const { connectors } = await callOk<{ connectors: Array<{ name: string; methods: Array<{ name: string; write: boolean }> }> }>(operator, 'list_integrations', {});
    assert.deepEqual(connectors.find((c) => c.name === 'ops')?.methods.map((m) => [m.name, m.write]), [['post_message', true], ['auth_test', false]]);
    const health = await callOk<{ ok: boolean; detail: string }>(operator, 'check_integration', { name: 'ops' });
    assert.equal(health.ok, true);
    await assert.rejects(
      director.callTool({ name: 'configure_integration', arguments: { name: 'x', kind: 'slack', baseUrl: 'ftp://nowhere', credentialRef: 'xoxb-literal' } }),
      /baseUrl: expected an http\(s\) URL; credentialRef: expected env:VARIABLE_NAME/,
    );
  });

  it('holds a write as an approval until the Director approves, then posts it exactly once', async function () {
    this.timeout(30_000);
    const params = { channel: 'general', text: `Deploy approved? ${Date.now()}` };
    const asked = await callOk<{ call: { id: string; status: string }; heldForApproval: boolean }>(operator, 'call_integration', { connector: 'ops', method: 'post_message', params });
    assert.deepEqual([asked.heldForApproval, asked.call.status], [true, 'pending_approval']);
    const { approvals } = await callOk<{ approvals: Array<{ id: string; kind: string; runId: string | null; preview: { integration?: { method: string } } }> }>(operator, 'list_approvals', {});
    const approval = approvals.find((a) => a.id === asked.call.id)!;
    assert.deepEqual([approval.kind, approval.runId, approval.preview.integration?.method], ['integration', null, 'post_message']);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(slack.messages.length, 0, 'nothing posted before approval');
    await assert.rejects(operator.callTool({ name: 'approve', arguments: { approvalId: asked.call.id } }), /operator role may not call approve/);
    await callOk(director, 'approve', { approvalId: asked.call.id });
    const deadline = Date.now() + 10_000;
    while (slack.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(slack.messages.map((m) => m.text), [params.text]);
    const settled = async () => (await callOk<{ approvals: Array<{ id: string; preview: { integration?: { callStatus: string } } }> }>(operator, 'list_approvals', { status: 'approved' })).approvals.find((a) => a.id === asked.call.id)?.preview.integration?.callStatus;
    while ((await settled()) !== 'succeeded' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const again = await callOk<{ deduplicated: boolean; call: { status: string } }>(operator, 'call_integration', { connector: 'ops', method: 'post_message', params });
    assert.deepEqual([again.deduplicated, again.call.status], [true, 'succeeded']);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(slack.messages.length, 1);
  });

  it('runs a read at once', async () => {
    const answer = await callOk<{ call: { status: string; result: { user: string } }; heldForApproval: boolean }>(operator, 'call_integration', { connector: 'ops', method: 'auth_test' });
    assert.deepEqual([answer.heldForApproval, answer.call.status, answer.call.result.user], [false, 'succeeded', 'aura-bot']);
  });
});
