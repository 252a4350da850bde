// chat_manager with a planner model: the real OpenAI adapter against the OpenAI stand-in answers from the run's
// state, and the exchange is posted to the run's chat; a model that fails leaves the plain answer from the state.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createModelProvider } from '../../../adapters/model-providers';
import { employeeProfileSchema } from '../../../core/workforce/employee';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { describeStores } from '../../support/stores';
import { httpClient, startTestHttp, testCore, tokenFor } from './support/mcp-harness';
import { callOk } from './support/tool-scenarios';

const KEY = 'sk-planner-stand-in-0123456789';

describeStores(
  'chat_manager with a planner model',
  (ctx) => {
    let standIn: StandIn;
    let server: McpHttpServer;
    let client: Client;
    let runId: string;

    before(async function () {
      this.timeout(60_000);
      standIn = await startOpenAIStandIn({ apiKey: KEY });
      const plannerModel = createModelProvider(
        employeeProfileSchema.parse({ name: 'planner', provider: 'openai', model: 'gpt-planner', baseUrl: `${standIn.url}/v1`, apiKeyRef: 'env:PLANNER_KEY' }),
        { secrets: { env: { PLANNER_KEY: KEY } }, retry: { maxAttempts: 1 } },
      );
      const core = testCore(ctx.store);
      server = await startTestHttp(core, { plannerModel });
      client = await httpClient(server.url, await tokenFor(core, 'director'));
      // The same model plans the PRD (its JSON answer is the plan).
      standIn.enqueue({ kind: 'answer', text: JSON.stringify({ title: 'Chat', tasks: [{ id: 'draft', title: 'Draft the page', kind: 'doc' }] }) });
      const run = (await callOk<{ run: { id: string } }>(client, 'submit_prd', { prd: '# Chat\n- `draft`: Draft the page\n' })).run;
      runId = run.id;
      assert.match((await callOk<{ run: { planner: string } }>(client, 'get_run', { runId })).run.planner, /^model:openai\/gpt-planner/);
      await callOk(client, 'pause_run', { runId, reason: 'so nothing moves while we ask' });
    });
    after(async () => {
      await client?.close();
      await server?.close();
      await standIn?.close();
    });

    it('answers with the model, given the run state and the question', async () => {
      standIn.enqueue({ kind: 'answer', text: 'The run is paused; resume it to start Draft the page.' });
      const before = standIn.calls.length;
      const reply = await callOk<{ answer: string; source: string; runStatus: string }>(client, 'chat_manager', { runId, question: 'Why is nothing happening?' });
      assert.deepEqual(reply, { answer: 'The run is paused; resume it to start Draft the page.', source: 'model:openai/gpt-planner', runStatus: 'paused' });
      const sent = JSON.stringify(standIn.calls[before]!.body);
      assert.match(sent, /Why is nothing happening\?/);
      assert.match(sent, /is paused \(so nothing moves while we ask\)/);
      assert.match(sent, /draft: /);
      const chat = await callOk<{ entries: Array<{ kind: string; from: { role: string }; text: string }> }>(client, 'get_chat', { runId, limit: 2 });
      assert.deepEqual(
        chat.entries.map((e) => [e.kind, e.from.role, e.text]),
        [
          ['message', 'director', 'Why is nothing happening?'],
          ['message', 'manager', 'The run is paused; resume it to start Draft the page.\n(model:openai/gpt-planner)'],
        ],
      );
    });

    it('falls back to the plain answer from the state when the model fails', async () => {
      standIn.enqueue({ kind: 'error', status: 400, message: 'bad request' });
      const reply = await callOk<{ answer: string; source: string }>(client, 'chat_manager', { runId, question: 'Status?' });
      assert.equal(reply.source, 'state');
      assert.match(reply.answer, /^Run "Chat" \(run_\w+\) is paused/);
      assert.match(reply.answer, /The planner model did not answer/);
    });
  },
  { only: 'postgres' },
);
