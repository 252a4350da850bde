// The notification tools over MCP with a live Manager: the Director subscribes, a run settles, the receiver gets the
// signed event without anyone draining by hand (the event's NOTIFY wakes the notifier), and the subscription is removed.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { httpClient, startTestHttp, testCore, tokenFor } from '../mcp/support/mcp-harness';
import { callOk } from '../mcp/support/tool-scenarios';

const KEY = 'whsec-tools-0123456789abcdef';

describeStores(
  'notification tools',
  (ctx) => {
    let server: McpHttpServer;
    let director: Client;
    let operator: Client;
    let receiver: WebhookReceiver;

    before(async function () {
      this.timeout(60_000);
      process.env.AURA_TEST_TOOLS_HOOK_KEY = KEY;
      receiver = await startWebhookReceiver({ key: KEY });
      const core = testCore(ctx.store);
      server = await startTestHttp(core);
      director = await httpClient(server.url, await tokenFor(core, 'director'));
      operator = await httpClient(server.url, await tokenFor(core, 'operator'));
      await callOk(director, 'hire_employee', { name: 'hook-worker', provider: 'in-process', model: 'echo', skills: ['code'] });
    });
    after(async () => {
      await director?.close();
      await operator?.close();
      await server?.close();
      await receiver?.close();
      delete process.env.AURA_TEST_TOOLS_HOOK_KEY;
    });

    it('tells a subscribed receiver, signed, that a run settled, and lists the delivery', async function () {
      this.timeout(30_000);
      const { subscription } = await callOk<{ subscription: { id: string; target: string; eventTypes: string[] } }>(director, 'subscribe_webhook', {
        name: 'ops',
        url: receiver.url,
        secretRef: 'env:AURA_TEST_TOOLS_HOOK_KEY',
        eventTypes: ['RunCompleted', 'RunBlocked'],
      });
      assert.equal(subscription.target, new URL(receiver.url).origin);
      const { run } = await callOk<{ run: { id: string } }>(director, 'submit_prd', { prd: '# Hooks\n- `one`: Do one\n' });
      const [hook] = await receiver.waitFor(1, 20_000);
      assert.equal(hook!.signatureValid, true);
      const body = hook!.json as { type: string; event: { runId: string; payload: { outcome: string } } };
      assert.deepEqual([body.type, body.event.runId, body.event.payload.outcome], ['RunCompleted', run.id, 'succeeded']);
      const listed = await callOk<{ deliveries: Array<{ status: string; runId: string; subscriptionId: string }> }>(operator, 'list_webhook_deliveries', { runId: run.id });
      const deadline = Date.now() + 5_000;
      let deliveries = listed.deliveries;
      while (deliveries[0]?.status !== 'delivered' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        deliveries = (await callOk<{ deliveries: typeof deliveries }>(operator, 'list_webhook_deliveries', { runId: run.id })).deliveries;
      }
      assert.deepEqual(deliveries.map((d) => [d.status, d.subscriptionId]), [['delivered', subscription.id]]);
    });

    it('refuses a subscription whose key reference does not resolve, naming it, and records nothing', async () => {
      const result = (await director.callTool({
        name: 'subscribe_webhook',
        arguments: { name: 'bad', url: receiver.url, secretRef: 'env:AURA_NOT_SET_ANYWHERE', eventTypes: ['RunFailed'] },
      })) as CallToolResult;
      assert.equal(result.isError, true);
      assert.match((result.content[0] as { text: string }).text, /^config: secretRef env:AURA_NOT_SET_ANYWHERE: the server's environment has no AURA_NOT_SET_ANYWHERE/);
      assert.equal((await callOk<{ subscriptions: unknown[] }>(director, 'list_webhooks')).subscriptions.length, 1);
    });

    it('removes a subscription for the Director and keeps it in the list of removed ones', async () => {
      const [active] = (await callOk<{ subscriptions: Array<{ id: string }> }>(operator, 'list_webhooks')).subscriptions;
      const { subscription } = await callOk<{ subscription: { removedAt: string | null } }>(director, 'remove_webhook', { subscriptionId: active!.id });
      assert.ok(subscription.removedAt);
      assert.deepEqual((await callOk<{ subscriptions: unknown[] }>(operator, 'list_webhooks')).subscriptions, []);
      assert.equal((await callOk<{ subscriptions: unknown[] }>(operator, 'list_webhooks', { includeRemoved: true })).subscriptions.length, 1);
    });
  },
  { only: 'postgres' },
);
