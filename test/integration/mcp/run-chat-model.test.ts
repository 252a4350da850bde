// ask_manager with a planner model (the real OpenAI adapter against the OpenAI stand-in): the model answers from the
// run, the task and memory; it passes to the Director what it cannot answer; a model that fails leaves the question
// with the Director too.
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
import { until } from './support/wait-and-refuse';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const KEY = 'sk-planner-stand-in-0123456789';

describeStores('ask_manager with a planner model', (ctx) => {
  let standIn: StandIn;
  let server: McpHttpServer;
  let director: Client;
  let agent: Client;
  let runId: string;
  let taskId: string;

  before(async function () {
    this.timeout(60_000);
    standIn = await startOpenAIStandIn({ apiKey: KEY });
    const plannerModel = createModelProvider(
      employeeProfileSchema.parse({ name: 'planner', provider: 'openai', model: 'gpt-planner', baseUrl: `${standIn.url}/v1`, apiKeyRef: 'env:PLANNER_KEY' }),
      { secrets: { env: { PLANNER_KEY: KEY } }, retry: { maxAttempts: 1 } },
    );
    const core = testCore(ctx.store);
    server = await startTestHttp(core, { plannerModel });
    director = await httpClient(server.url, await tokenFor(core, 'director'));
    const agentId = (await callOk<Json>(director, 'hire_employee', { name: `model-chat-agent-${ctx.kind}`, provider: 'cli', model: 'external-agent' })).employee.id;
    agent = await httpClient(server.url, await tokenFor(core, 'employee', agentId));
    standIn.enqueue({ kind: 'answer', text: JSON.stringify({ title: 'Cart', tasks: [{ id: 'cart', title: 'Build the cart', kind: 'doc' }] }) });
    runId = (await callOk<Json>(director, 'submit_prd', { prd: '# Cart\n- `cart`: Build the cart\n' })).run.id;
    taskId = (await until('the assignment', async () => (await callOk<Json>(agent, 'get_assignment')).assignment)).taskId;
    await callOk(director, 'memory_put', { scope: 'project', key: 'cart/currency', content: 'Prices are in euro cents.' });
  });
  after(async () => {
    await agent?.close();
    await director?.close();
    await server?.close();
    await standIn?.close();
  });

  it("answers with the model, given the run, the asker's task and memory", async () => {
    standIn.enqueue({ kind: 'answer', text: 'Use euro cents, as memory says.' });
    const before = standIn.calls.length;
    const { question } = await callOk<Json>(agent, 'ask_manager', { taskId, question: 'cart prices currency?' });
    assert.deepEqual([question.status, question.answer, question.answeredBy, question.source], ['answered', 'Use euro cents, as memory says.', 'manager', 'model:openai/gpt-planner']);
    const sent = JSON.stringify(standIn.calls[before]!.body);
    assert.match(sent, /cart prices currency\?/);
    assert.match(sent, /task cart \\"Build the cart\\"/);
    assert.match(sent, /Prices are in euro cents/);
  });

  it('passes to the Director what the model says it cannot answer, with its reason', async () => {
    standIn.enqueue({ kind: 'answer', text: 'ASK_DIRECTOR: whether the cart may store card numbers is a product decision.' });
    const { question } = await callOk<Json>(agent, 'ask_manager', { taskId, question: 'May the cart store card numbers?' });
    assert.equal(question.status, 'open');
    const chat = await callOk<Json>(director, 'get_chat', { runId });
    assert.deepEqual(chat.openQuestions.map((q: Json) => q.id), [question.id]);
    assert.match(chat.entries.at(-1).text, /waits for the Director: whether the cart may store card numbers is a product decision\./);
  });

  it('leaves the question with the Director when the model fails', async () => {
    standIn.enqueue({ kind: 'error', status: 400, message: 'bad request' });
    const { question } = await callOk<Json>(agent, 'ask_manager', { taskId, question: 'Which payment provider?' });
    assert.equal(question.status, 'open');
    const chat = await callOk<Json>(director, 'get_chat', { runId });
    assert.equal(chat.openQuestions.length, 2);
    assert.match(chat.entries.at(-1).text, /the planner model did not answer/);
  });
});
