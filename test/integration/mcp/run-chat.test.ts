// The run's group chat over MCP, on both stores: an external agent asks the Manager (ask_manager), which answers from
// memory or an earlier answer, or passes the question to the Director, whose reply (post_message replyTo) reaches the
// agent; who said what, paging, the chat resource, refusals naming the problem, and every message in the audit chain.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpHttpServer } from '../../../mcp-server/mcp/http/start-mcp-http';
import { describeStores } from '../../support/stores';
import { eventCount, httpClient, startTestHttp, testCore, tokenFor } from './support/mcp-harness';
import { callFails, until } from './support/wait-and-refuse';
import { callOk } from './support/tool-scenarios';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeStores('the run chat over MCP', (ctx) => {
  let server: McpHttpServer;
  let director: Client;
  let operator: Client;
  let agent: Client;
  let core: ReturnType<typeof testCore>;
  let runId: string;
  let taskId: string;
  let otherTask: string;
  let agentId: string;

  before(async function () {
    this.timeout(60_000);
    core = testCore(ctx.store);
    server = await startTestHttp(core);
    director = await httpClient(server.url, await tokenFor(core, 'director'));
    operator = await httpClient(server.url, await tokenFor(core, 'operator'));
    agentId = (await callOk<Json>(director, 'hire_employee', { name: `chat-agent-${ctx.kind}`, provider: 'cli', model: 'external-agent' })).employee.id;
    agent = await httpClient(server.url, await tokenFor(core, 'employee', agentId));
    runId = (await callOk<Json>(director, 'submit_prd', { prd: '# Chat run\n- `db`: Wire the staging database\n- `docs`: Write it down (after `db`)\n' })).run.id;
    taskId = (await until('the assignment', async () => (await callOk<Json>(agent, 'get_assignment')).assignment)).taskId;
    const other = (await callOk<Json>(director, 'submit_prd', { prd: '# Other run\n- `x`: Something else\n' })).run.id;
    otherTask = (await callOk<Json>(director, 'list_tasks', { runId: other })).tasks[0].id;
    await callOk(director, 'memory_put', { scope: 'project', key: 'staging/database', content: 'The staging database listens on port 5433.' });
  });
  after(async () => {
    for (const c of [agent, operator, director]) await c?.close();
    await server?.close();
  });

  it('answers from memory when a memory entry holds the answer', async () => {
    const { question } = await callOk<Json>(agent, 'ask_manager', { taskId, question: 'staging database port' });
    assert.equal(question.status, 'answered');
    assert.equal(question.answer, 'The staging database listens on port 5433.');
    assert.equal(question.answeredBy, 'manager');
    assert.equal(question.source, 'memory: project/default/staging/database v1');
  });

  it("passes a question nothing answers to the Director, whose reply is the agent's answer; the Manager then remembers it", async () => {
    const asked = (await callOk<Json>(agent, 'ask_manager', { taskId, question: 'May I drop the legacy orders table?' })).question;
    assert.deepEqual([asked.status, asked.answer], ['open', null]);
    const chat = await callOk<Json>(director, 'get_chat', { runId });
    assert.deepEqual(chat.openQuestions.map((q: Json) => [q.id, q.employeeId, q.taskId]), [[asked.id, agentId, taskId]]);
    const escalation = chat.entries.find((e: Json) => e.kind === 'escalation' && e.questionId === asked.id);
    assert.match(escalation.text, /waits for the Director: no planner model is hired/);

    // Only the Director answers; an operator may comment.
    await callFails(operator, 'post_message', { runId, text: 'yes', replyTo: asked.id }, /^forbidden: Only the Director answers/);
    await callOk(operator, 'post_message', { runId, text: 'I think the Director knows.', taskId });
    const reply = await callOk<Json>(director, 'post_message', { runId, text: 'No: keep it until the migration is verified.', replyTo: asked.id });
    assert.equal(reply.answered.status, 'answered');
    assert.match(reply.answered.answeredBy, /^director:/);
    await callFails(director, 'post_message', { runId, text: 'again', replyTo: asked.id }, /^conflict: Question q_\w+ was already answered by director:/);
    const thread = (await callOk<Json>(director, 'get_chat', { runId })).entries.filter((e: Json) => e.questionId === asked.id);
    assert.deepEqual(thread.map((e: Json) => `${e.kind}:${e.from.role}:${e.to?.role ?? '-'}`), ['question:employee:manager', 'escalation:manager:director', 'answer:director:-']);
    assert.equal(thread[2].text, 'No: keep it until the migration is verified.');

    const mine = (await callOk<Json>(agent, 'get_assignment')).questions;
    assert.deepEqual(
      mine.map((q: Json) => [q.question, q.status, q.answer]),
      [
        ['May I drop the legacy orders table?', 'answered', 'No: keep it until the migration is verified.'],
        ['staging database port', 'answered', 'The staging database listens on port 5433.'],
      ],
    );
    assert.deepEqual((await callOk<Json>(director, 'get_chat', { runId })).openQuestions, []);

    const again = (await callOk<Json>(agent, 'ask_manager', { taskId, question: 'may I drop the legacy ORDERS table' })).question;
    assert.equal(again.answer, 'No: keep it until the migration is verified.');
    assert.match(again.source, /^memory: answered earlier in this run by director:/);
  });

  it('shows who said what, oldest first, with the tasks, and pages forward by seq', async () => {
    const all = await callOk<Json>(director, 'get_chat', { runId, afterSeq: 0, limit: 500 });
    const said = all.entries.map((e: Json) => `${e.kind}:${e.from.role}${e.from.name ? `(${e.from.name})` : ''}`);
    assert.equal(said[0], 'assignment:manager');
    assert.deepEqual(all.entries[0].to, { role: 'employee', id: agentId, name: `chat-agent-${ctx.kind}` });
    assert.ok(said.includes(`question:employee(chat-agent-${ctx.kind})`));
    assert.ok(said.includes('message:operator') && said.includes('answer:director') && said.includes('answer:manager'));
    assert.ok(all.entries.every((e: Json) => e.taskId === taskId), 'every entry names its task');
    const seqs = all.entries.map((e: Json) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));

    const paged: number[] = [];
    let after = 0;
    for (;;) {
      const page = await callOk<Json>(director, 'get_chat', { runId, afterSeq: after, limit: 3 });
      paged.push(...page.entries.map((e: Json) => e.seq));
      if (!page.hasMore) break;
      after = page.lastSeq;
    }
    assert.deepEqual(paged, seqs);
    const latest = await callOk<Json>(director, 'get_chat', { runId, limit: 2 });
    assert.deepEqual(latest.entries.map((e: Json) => e.seq), seqs.slice(-2));

    const viewer = await httpClient(server.url, await tokenFor(core, 'viewer'));
    try {
      const resource = JSON.parse(((await viewer.readResource({ uri: `aura://runs/${runId}/chat` })).contents[0] as { text: string }).text);
      assert.deepEqual(resource.entries.map((e: Json) => e.seq), seqs);
    } finally {
      await viewer.close();
    }
  });

  it('refuses bad posts naming the problem, recording nothing', async () => {
    const before = await eventCount(ctx.store);
    await callFails(director, 'post_message', { runId, text: 'about another run', taskId: otherTask }, new RegExp(`^invalid_input: Task ${otherTask} belongs to run run_\\w+, not ${runId}`));
    await callFails(director, 'post_message', { runId: 'run_nosuchrun0000', text: 'hello' }, /^not_found: No run with id "run_nosuchrun0000"/);
    await callFails(director, 'post_message', { runId, text: 'hi', replyTo: 'q_nosuchquestion00' }, new RegExp(`^not_found: Run ${runId} has no question q_nosuchquestion00`));
    await callFails(director, 'post_message', { runId, text: '   ' }, /text|empty/i);
    await callFails(agent, 'ask_manager', { taskId: otherTask, question: 'not mine?' }, /^not_found: You have no open assignment for task/);
    assert.equal(await eventCount(ctx.store), before);
  });

  it('records every message as an event of the run, in a chain that verifies', async () => {
    const types = (await callOk<Json>(director, 'query_events', { runId, limit: 500 })).events.map((e: Json) => e.type);
    for (const t of ['ChatMessagePosted', 'QuestionAsked', 'QuestionAnswered', 'QuestionEscalated']) assert.ok(types.includes(t), `${t} recorded`);
    assert.equal((await callOk<Json>(director, 'verify_audit', { runId })).ok, true);
  });
});
