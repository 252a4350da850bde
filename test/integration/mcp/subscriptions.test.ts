// Resource subscriptions: updates arrive for what changed, stop on unsubscribe, and a closed session leaves no listener.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { httpClient, startTestHttp, testCore, tokenFor } from './support/mcp-harness';
import { callOk } from './support/tool-scenarios';

/** Records every updated URI; `next(uri)` resolves at the next update of that URI (or rejects after 10 s). */
function collect(client: Client): { uris: string[]; next(uri: string): Promise<void> } {
  const uris: string[] = [];
  const waiters: Array<{ uri: string; resolve: () => void }> = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    uris.push(n.params.uri);
    for (const w of waiters.filter((w) => w.uri === n.params.uri)) w.resolve();
  });
  return {
    uris,
    next: (uri) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no update of ${uri}`)), 10_000);
        waiters.push({ uri, resolve: () => (clearTimeout(timer), resolve()) });
      }),
  };
}

describeStores('MCP resource subscriptions', (ctx) => {
  let server: McpHttpServer;
  let token: string;
  before(async () => {
    const core = testCore(ctx.store);
    server = await startTestHttp(core);
    token = await tokenFor(core, 'director');
  });
  after(async () => server?.close());

  it('updates aura://employees when one is hired, and not after unsubscribing', async () => {
    const watcher = await httpClient(server.url, token);
    const actor = await httpClient(server.url, token);
    try {
      const seen = collect(watcher);
      await watcher.subscribeResource({ uri: 'aura://employees' });
      const updated = seen.next('aura://employees');
      await callOk(actor, 'hire_employee', { name: `sub-${ctx.kind}-1`, provider: 'cli', model: 'm' });
      await updated;
      await watcher.unsubscribeResource({ uri: 'aura://employees' });
      const count = seen.uris.length;
      await callOk(actor, 'hire_employee', { name: `sub-${ctx.kind}-2`, provider: 'cli', model: 'm' });
      // A later event on another resource proves the notifier has delivered everything before it.
      await watcher.subscribeResource({ uri: 'aura://employees' });
      const again = seen.next('aura://employees');
      await callOk(actor, 'hire_employee', { name: `sub-${ctx.kind}-3`, provider: 'cli', model: 'm' });
      await again;
      assert.equal(seen.uris.length, count + 1, 'nothing arrived while unsubscribed');
    } finally {
      await watcher.close();
      await actor.close();
    }
  });

  it('updates aura://runs when a run is started elsewhere, once per run', async () => {
    const watcher = await httpClient(server.url, token);
    const actor = await httpClient(server.url, token);
    try {
      const seen = collect(watcher);
      await watcher.subscribeResource({ uri: 'aura://runs' });
      const updated = seen.next('aura://runs');
      const started = await callOk<{ run: { id: string } }>(actor, 'submit_prd', { prd: '# Elsewhere\n- `a`: A\n- `b`: B (after `a`)\n' });
      await updated;
      const listed = JSON.parse(((await watcher.readResource({ uri: 'aura://runs' })).contents[0] as { text: string }).text) as { runs: Array<{ id: string }> };
      assert.equal(listed.runs[0]!.id, started.run.id, 'the new run leads the list');
      // Its later events (pausing it) do not update the list again; another new run does.
      await callOk(actor, 'pause_run', { runId: started.run.id, reason: 'quiet' });
      const again = seen.next('aura://runs');
      await callOk(actor, 'submit_prd', { prd: '# Another\n- `a`: A\n' });
      await again;
      assert.equal(seen.uris.filter((u) => u === 'aura://runs').length, 2);
    } finally {
      await watcher.close();
      await actor.close();
    }
  });

  it('updates aura://tasks/{id} when its run moves, and refuses an unknown run with -32002', async () => {
    const client = await httpClient(server.url, token);
    try {
      const run = (await callOk<{ run: { id: string } }>(client, 'submit_prd', { prd: `# Sub ${ctx.kind}\n- \`one\`: One thing\n` })).run;
      const task = (await callOk<{ tasks: Array<{ id: string }> }>(client, 'list_tasks', { runId: run.id })).tasks[0]!;
      const seen = collect(client);
      await client.subscribeResource({ uri: `aura://tasks/${task.id}` });
      const updated = seen.next(`aura://tasks/${task.id}`);
      await callOk(client, 'pause_run', { runId: run.id, reason: 'subscription test' });
      await updated;
      await assert.rejects(client.subscribeResource({ uri: 'aura://runs/run_00nosuchrun' }), (e: unknown) => e instanceof McpError && e.code === -32002);
      await callOk(client, 'cancel_run', { runId: run.id, reason: 'done' });
    } finally {
      await client.close();
    }
  });

  it('drops a closed session’s subscriptions from the notifier', async () => {
    const notifier = server.runtime.services.notifier;
    const baseline = notifier.listenerCount();
    const clients = await Promise.all([1, 2, 3].map(() => httpClient(server.url, token)));
    for (const c of clients) await c.subscribeResource({ uri: 'aura://employees' });
    assert.equal(notifier.listenerCount(), baseline + 3);
    for (const c of clients) {
      await (c.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
      await c.close();
    }
    assert.equal(notifier.listenerCount(), baseline);
  });
});
