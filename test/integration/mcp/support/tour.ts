// The tour: every tool driven through a real client, including a whole run from submit_prd to completion worked by
// an external agent over the employee channel, approvals, a dead letter retried and one skipped, and live updates.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

export interface TourHooks {
  /** A token for the agent's employee, and a client connected with it (over the transport under test). */
  connectAgent(employeeId: string): Promise<Client>;
  tag: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls a tool, expecting success; records that it was called. */
export function recorder(client: Client) {
  const called = new Set<string>();
  const call = async (name: string, args: Json = {}, options: { onprogress?: (p: { progress: number }) => void } = {}): Promise<Json> => {
    called.add(name);
    const result = (await client.callTool({ name, arguments: args }, undefined, { ...options, timeout: 60_000 })) as CallToolResult;
    if (result.isError) throw new Error(`${name} failed: ${(result.content[0] as { text: string }).text}`);
    return result.structuredContent as Json;
  };
  const fails = async (name: string, args: Json, pattern: RegExp): Promise<void> => {
    called.add(name);
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    assert.equal(result.isError, true, `${name} should fail`);
    assert.match((result.content[0] as { text: string }).text, pattern);
  };
  return { call, fails, called };
}

async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The agent does one step of work if it has an assignment: progress, then succeed or fail as `decide` says. */
async function agentStep(agent: ReturnType<typeof recorder>, decide: (key: string, attempt: number) => 'succeed' | 'fail'): Promise<string | null> {
  const { assignment } = await agent.call('get_assignment');
  if (!assignment) return null;
  const key = assignment.task.id as string;
  await agent.call('report_progress', { taskId: assignment.taskId, note: `working on ${key}`, percent: 50 });
  const outcome = decide(key, assignment.attempt);
  await agent.call('submit_result', {
    taskId: assignment.taskId,
    status: outcome === 'succeed' ? 'succeeded' : 'failed',
    summary: outcome === 'succeed' ? `did ${key}` : `could not do ${key}`,
    output: { key },
    tokensIn: 10,
    tokensOut: 5,
    costUsd: 0.001,
  });
  return `${key}#${assignment.attempt}:${outcome}`;
}

export async function runTour(directorClient: Client, hooks: TourHooks): Promise<{ called: Set<string>; listed: string[] }> {
  const d = recorder(directorClient);
  const listed = (await directorClient.listTools()).tools.map((t) => t.name);

  // Workforce: an external agent (a CLI agent with no command connects itself), and a throwaway employee.
  assert.ok(Array.isArray((await d.call('list_employees')).employees));
  const agentId = (await d.call('hire_employee', { name: `agent-${hooks.tag}`, provider: 'cli', model: 'external-agent', skills: ['code'] })).employee.id as string;
  const temp = (await d.call('hire_employee', { name: `temp-${hooks.tag}`, provider: 'cli', model: 'external-agent' })).employee.id as string;
  assert.equal((await d.call('suspend_employee', { employeeId: temp, reason: 'tour' })).employee.status, 'suspended');
  assert.equal((await d.call('reinstate_employee', { employeeId: temp, reason: 'tour' })).employee.status, 'active');
  assert.equal((await d.call('terminate_employee', { employeeId: temp, reason: 'tour' })).employee.status, 'terminated');
  const agentClient = await hooks.connectAgent(agentId);
  const agent = recorder(agentClient);
  const agentTools = (await agentClient.listTools()).tools.map((t) => t.name).sort();
  assert.deepEqual(agentTools, ['ask_manager', 'get_assignment', 'memory_get', 'memory_search', 'propose_memory', 'report_progress', 'submit_result']);
  assert.equal((await agent.call('get_assignment')).assignment, null);

  // Governance: read the defaults, store a copy under a new name.
  assert.ok((await d.call('list_policies')).policies.some((p: Json) => p.name === 'default'));
  const source = (await d.call('list_policies', { name: 'default' })).source as string;
  assert.equal((await d.call('set_policies', { name: `tour-${hooks.tag}`, yaml: source.replace(/^name: default$/m, `name: tour-${hooks.tag}`) })).policy.version, 1);

  // Memory: two versions, one read back by number, history with a diff, search, list; an agent's proposal approved, then deleted.
  const key = `tour/${hooks.tag}`;
  assert.equal((await d.call('memory_put', { scope: 'project', key, content: 'first note', tags: ['tour'] })).entry.version, 1);
  assert.equal((await d.call('memory_put', { scope: 'project', key, content: 'second note', tags: ['tour'] })).entry.version, 2);
  assert.equal((await d.call('memory_get', { scope: 'project', key, version: 1 })).entry.content, 'first note');
  const history = await d.call('memory_history', { scope: 'project', key, from: 1 });
  assert.deepEqual(history.versions.map((v: Json) => v.version), [2, 1]);
  assert.match(history.diff.patch, /-first note\n\+second note/);
  assert.equal((await d.call('memory_search', { query: 'second note', mode: 'keyword', keyPrefix: 'tour/' })).hits[0].key, key);
  assert.ok((await d.call('memory_list', { scope: 'project', keyPrefix: 'tour/' })).entries.some((e: Json) => e.key === key));
  assert.equal((await agent.call('memory_search', { query: 'second note', mode: 'keyword' })).hits[0].key, key);
  assert.equal((await agent.call('memory_get', { scope: 'project', key })).entry.version, 2);
  const proposed = await agent.call('propose_memory', { scope: 'project', key: `${key}-agent`, content: 'what the agent learned' });
  assert.equal(proposed.status, 'pending');
  const resolved = await d.call('resolve_memory_proposal', { proposalId: proposed.proposalId, approved: true });
  assert.equal(resolved.resolved.version, 1);
  assert.equal((await d.call('memory_delete', { scope: 'project', key: `${key}-agent`, reason: 'tour' })).version, 2);

  // Run 1: a dead letter retried, an approval task approved, live updates on the run's resource.
  const updates: string[] = [];
  directorClient.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
  const progress: number[] = [];
  const prd1 = `# Tour ${hooks.tag}\n## Work\n- \`build\`: Build the thing\n- \`approve\`: Approve the release (after \`build\`)\n- \`ship\`: Ship it (after \`approve\`)\n- \`flaky\`: Flaky step (attempts: 1)\n`;
  const run1 = (await d.call('submit_prd', { prd: prd1, budgetUsd: 5 }, { onprogress: (p) => progress.push(p.progress) })).run;
  assert.equal(run1.status, 'running');
  assert.ok(progress.length >= 1, 'submit_prd reported progress');
  await directorClient.subscribeResource({ uri: `aura://runs/${run1.id}` });
  // The group chat: the agent asks what nothing it can reach answers, so the Manager passes it to the Director, whose
  // reply is the answer the agent reads back with its assignment; the chat shows who said what.
  await directorClient.subscribeResource({ uri: `aura://runs/${run1.id}/chat` });
  const first = await until('a first assignment', async () => (await agent.call('get_assignment')).assignment);
  const asked = (await agent.call('ask_manager', { taskId: first.taskId, question: 'Which port does the staging database listen on?' })).question;
  assert.equal(asked.status, 'open');
  const waiting = (await d.call('get_chat', { runId: run1.id })).openQuestions;
  assert.deepEqual(waiting.map((q: Json) => q.id), [asked.id]);
  const reply = await d.call('post_message', { runId: run1.id, text: 'Port 5433.', replyTo: asked.id });
  assert.equal(reply.answered.answer, 'Port 5433.');
  await d.fails('post_message', { runId: run1.id, text: 'again', replyTo: asked.id }, /^conflict: /);
  assert.equal((await agent.call('get_assignment')).questions[0].answer, 'Port 5433.');
  const chat = await d.call('get_chat', { runId: run1.id, afterSeq: 0, limit: 500 });
  assert.deepEqual(
    chat.entries.filter((e: Json) => e.questionId === asked.id).map((e: Json) => `${e.kind}:${e.from.role}`),
    ['question:employee', 'escalation:manager', 'answer:director'],
  );
  assert.ok(chat.entries.some((e: Json) => e.kind === 'assignment' && e.to.id === agentId), 'the assignment is in the chat');
  await until('the subscribed chat resource to be updated live', async () => updates.includes(`aura://runs/${run1.id}/chat`));
  await directorClient.unsubscribeResource({ uri: `aura://runs/${run1.id}/chat` });
  const decide1 = (key: string, attempt: number) => (key === 'flaky' && attempt === 1 ? 'fail' : 'succeed');
  const held = await until('the approval and the dead letter', async () => {
    await agentStep(agent, decide1);
    const run = (await d.call('get_run', { runId: run1.id })).run;
    const flaky = run.tasks.find((t: Json) => t.key === 'flaky');
    return run.pendingApprovals.length && flaky.status === 'dead_letter' ? run : null;
  });
  assert.ok(updates.includes(`aura://runs/${run1.id}`), 'the subscribed run resource was updated live');
  const dead = (await d.call('list_dead_letters', { runId: run1.id })).tasks;
  assert.deepEqual(dead.map((t: Json) => t.key), ['flaky']);
  assert.equal((await d.call('retry_task', { taskId: dead[0].id, edits: { description: 'try again' } })).task.status, 'ready');
  const pending = (await d.call('list_approvals', { runId: run1.id })).approvals;
  assert.equal(pending.length, 1);
  assert.equal(pending[0].id, held.pendingApprovals[0].id);
  assert.equal((await d.call('approve', { approvalId: pending[0].id, note: 'ship it' })).approval.status, 'approved');
  const done1 = await until('run 1 to succeed', async () => {
    await agentStep(agent, decide1);
    const run = (await d.call('get_run', { runId: run1.id })).run;
    return run.status === 'succeeded' ? run : null;
  });
  assert.deepEqual(done1.tasks.map((t: Json) => `${t.key}:${t.status}`), ['build:succeeded', 'approve:succeeded', 'ship:succeeded', 'flaky:succeeded']);
  await directorClient.unsubscribeResource({ uri: `aura://runs/${run1.id}` });

  // Reading it back: lists, one task with its evidence, the evidence itself, events, the audit chain, scores, chat.
  assert.ok((await d.call('list_runs', { limit: 5 })).runs.some((r: Json) => r.id === run1.id));
  assert.equal((await d.call('list_tasks', { runId: run1.id })).tasks.length, 4);
  const build = done1.tasks.find((t: Json) => t.key === 'build');
  const task = (await d.call('get_task', { taskId: build.id })).task;
  assert.equal(task.result.summary, 'did build');
  assert.ok(task.evidence.length >= 1, 'the Auditor recorded evidence');
  const evidence = (await d.call('get_evidence', { hash: task.evidence[0].hash })).evidence;
  assert.equal(evidence.intact, true);
  assert.ok((await d.call('get_evidence', { taskId: build.id })).list.length >= 1);
  const types = (await d.call('query_events', { runId: run1.id, limit: 500 })).events.map((e: Json) => e.type);
  for (const t of ['RunStarted', 'TaskAssigned', 'TaskProgress', 'TaskSucceeded', 'ApprovalGranted', 'RunCompleted']) assert.ok(types.includes(t), `${t} recorded`);
  assert.equal((await d.call('verify_audit', { runId: run1.id })).ok, true);
  assert.ok((await d.call('get_scores', { includeUnrated: true })).leaderboard.some((e: Json) => e.employeeId === agentId));
  assert.match((await d.call('chat_manager', { runId: run1.id, question: 'How did flaky go?' })).answer, /succeeded/);

  // Run 2: paused and resumed, a dead letter skipped so its dependent runs.
  const run2 = (await d.call('submit_prd', { prd: `# Skip ${hooks.tag}\n## Work\n- \`doomed\`: Doomed step (attempts: 1)\n- \`after\`: After it (after \`doomed\`)\n` })).run;
  assert.equal((await d.call('pause_run', { runId: run2.id, reason: 'tour' })).run.status, 'paused');
  assert.equal((await d.call('resume_run', { runId: run2.id })).run.status, 'running');
  const doomed = await until('doomed to be dead-lettered', async () => {
    await agentStep(agent, (key) => (key === 'doomed' ? 'fail' : 'succeed'));
    return (await d.call('list_dead_letters', { runId: run2.id })).tasks[0];
  });
  assert.equal((await d.call('skip_task', { taskId: doomed.id, reason: 'not needed' })).task.status, 'skipped');
  await until('run 2 to succeed', async () => {
    await agentStep(agent, () => 'succeed');
    return (await d.call('get_run', { runId: run2.id })).run.status === 'succeeded';
  });

  // Run 3: a replan that changes everything waits for approval and is rejected; then the run is cancelled.
  const run3 = (await d.call('submit_prd', { prd: `# Cancel ${hooks.tag}\n- \`one\`: One thing\n` })).run;
  const replan = (await d.call('replan_run', { runId: run3.id, prd: `# Cancel ${hooks.tag}\n- \`two\`: Another thing\n- \`three\`: And more\n` })).replan;
  assert.equal(replan.needsApproval, true);
  assert.equal((await d.call('reject', { approvalId: replan.approvalId, reason: 'keep the plan' })).approval.status, 'rejected');
  const planDiff = (await d.call('get_plan_diff', { runId: run3.id })).diff;
  assert.deepEqual([planDiff.from, planDiff.to, planDiff.versions.map((v: Json) => v.state)], [1, 2, ['applied', 'rejected']], 'the rejected replan is version 2, compared with version 1');
  assert.deepEqual(planDiff.summary, { added: 2, removed: 1, changed: 0, same: 0 });
  // The external agent's attempt of `doomed` had a worktree of its own (it changed nothing in it).
  const doomedDiff = (await d.call('get_task_diff', { taskId: doomed.id })).diff;
  assert.deepEqual([doomedDiff.attempt, doomedDiff.against, doomedDiff.diff], [1, 'base', '']);
  await d.fails('get_task_diff', { taskId: doomed.id, attempt: 9 }, /^not_found: /);
  assert.equal((await d.call('cancel_run', { runId: run3.id, reason: 'tour over' })).run.status, 'cancelled');
  await d.fails('pause_run', { runId: run3.id, reason: 'too late' }, /^conflict: /);

  // Time travel and replay: run1 as it stood after its third event; a replay of what does not exist is refused.
  const then = (await d.call('get_run_state', { runId: run1.id, atEvent: 3 })).state;
  assert.ok(then && typeof then === 'object');
  await d.fails('replay_run', { runId: 'run_nosuchrun000' }, /^not_found: /);
  await d.fails('get_replay_report', { runId: run1.id }, /^(not_found|conflict|invalid_input): /);

  // Templates: the shipped library, one of them, and run1's plan saved as a template.
  assert.ok((await d.call('list_templates')).templates.some((t: Json) => t.name === 'build'));
  assert.equal((await d.call('get_template', { name: 'build' })).template.name, 'build');
  assert.equal((await d.call('save_template', { runId: run1.id, name: `tour-${hooks.tag}` })).template.version, 1);

  // Webhooks: subscribed to a finished run (so nothing is sent), listed, then removed.
  const secretFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aura-tour-hook-')), 'hook.key');
  fs.writeFileSync(secretFile, 'tour-webhook-secret-0123456789', { mode: 0o600 });
  const hook = (await d.call('subscribe_webhook', { name: `tour-${hooks.tag}`, url: 'http://127.0.0.1:9/hook', secretRef: `file:${secretFile}`, eventTypes: ['RunBlocked'], runId: run3.id })).subscription;
  assert.ok((await d.call('list_webhooks')).subscriptions.some((x: Json) => x.id === hook.id));
  assert.deepEqual((await d.call('list_webhook_deliveries', { subscriptionId: hook.id })).deliveries, []);
  await d.fails('redeliver_webhook', { deliveryId: 999_999 }, /^not_found: /);
  await d.call('remove_webhook', { subscriptionId: hook.id });

  // Integrations: a Slack connector at an address where nothing listens; its write is held, then rejected, never sent.
  const slack = (await d.call('configure_integration', { name: `tour-${hooks.tag}`, kind: 'slack', baseUrl: 'http://127.0.0.1:9', credentialRef: `file:${secretFile}` })).connector;
  assert.ok((await d.call('list_integrations')).connectors.some((c: Json) => c.id === slack.id));
  const health = await d.call('check_integration', { name: slack.name });
  assert.deepEqual([health.ok, /could not be reached/.test(health.detail)], [false, true]);
  const write = await d.call('call_integration', { connector: slack.name, method: 'post_message', params: { channel: 'general', text: `tour ${hooks.tag}` }, runId: run3.id });
  assert.equal(write.heldForApproval, true);
  assert.equal((await d.call('reject', { approvalId: write.call.id, reason: 'tour' })).approval.kind, 'integration');

  // Retention with a long period removes nothing recent; the chain still verifies.
  assert.equal((await d.call('cleanup_retention', { retentionDays: 3650 })).retentionDays, 3650);
  assert.deepEqual((await d.call('verify_audit')).problems, []);

  // Resources and prompts.
  const read = async (uri: string) => JSON.parse(((await directorClient.readResource({ uri })).contents[0] as { text: string }).text) as Json;
  assert.equal((await read(`aura://runs/${run1.id}`)).run.status, 'succeeded');
  assert.ok((await read(`aura://runs/${run1.id}/events`)).events.length > 10);
  assert.equal((await read(`aura://tasks/${build.id}`)).task.key, 'build');
  assert.ok((await read('aura://employees')).employees.some((e: Json) => e.id === agentId));
  assert.ok((await read('aura://runs')).runs.some((r: Json) => r.id === run1.id));
  assert.equal((await read(`memory://project/default/${key}`)).entry.content, 'second note');
  assert.ok((await read('memory://project/default')).entries.some((e: Json) => e.key === key));
  const templates = (await directorClient.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort();
  assert.deepEqual(templates, ['aura://runs/{id}', 'aura://runs/{id}/chat', 'aura://runs/{id}/events', 'aura://tasks/{id}', 'memory://{scope}/{namespace}', 'memory://{scope}/{namespace}/{+key}']);
  const prompt = await directorClient.getPrompt({ name: 'write_prd', arguments: { idea: 'a CLI that counts words' } });
  assert.match((prompt.messages[0]!.content as { text: string }).text, /a CLI that counts words/);

  await agentClient.close();
  return { called: new Set([...d.called, ...agent.called]), listed: [...listed, ...agentTools] };
}
