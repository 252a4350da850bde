// One valid call of every tool (the seeds the fuzzer damages). Ids need not exist: every generated mutation is invalid
// by shape, except an unknown id, which must then be refused as not found.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export async function callOk<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${(result.content[0] as { text: string }).text}`);
  return result.structuredContent as T;
}

const run = 'run_00fuzz0000000000';
const task = 'task_00fuzz0000000000';
const employee = 'emp_00fuzz0000000000';
const approval = 'apr_00fuzz0000000000';
const hash = 'a'.repeat(64);
const prd = '# Fuzz\n## Work\n- `a`: Do a\n- `b`: Do b (after `a`)\n';

/** A valid call of each tool; a tool without one fails the fuzz suite (so a new tool cannot skip it). */
export const seeds: Record<string, Record<string, unknown>> = {
  submit_prd: { prd, title: 'Fuzz', budgetUsd: 1, policySet: 'default' },
  list_runs: { status: ['running'], limit: 5, before: run },
  get_run: { runId: run },
  get_run_state: { runId: run, atEvent: 3 },
  replay_run: { runId: run, until: 5 },
  get_replay_report: { runId: run },
  pause_run: { runId: run, reason: 'fuzz' },
  resume_run: { runId: run, reason: 'fuzz' },
  cancel_run: { runId: run, reason: 'fuzz' },
  replan_run: { runId: run, prd },
  list_tasks: { runId: run, status: ['ready'], limit: 5, afterSeq: 1 },
  get_task: { taskId: task },
  retry_task: { taskId: task, edits: { description: 'again', maxAttempts: 2 } },
  skip_task: { taskId: task, reason: 'fuzz' },
  list_dead_letters: { runId: run },
  get_plan_diff: { runId: run, from: 1, to: 2 },
  get_task_diff: { taskId: task, attempt: 1, against: 'run' },
  list_approvals: { status: 'pending', runId: run, limit: 5 },
  approve: { approvalId: approval, note: 'ok', edits: { title: 'edited' } },
  reject: { approvalId: approval, reason: 'no' },
  list_employees: { status: ['hired'] },
  hire_employee: { name: 'seed-hire', provider: 'in-process', model: 'echo', skills: ['code'] },
  suspend_employee: { employeeId: employee, reason: 'fuzz' },
  reinstate_employee: { employeeId: employee, reason: 'fuzz' },
  terminate_employee: { employeeId: employee, reason: 'fuzz' },
  get_scores: { kind: 'code', includeUnrated: true },
  query_events: { runId: run, types: ['RunStarted'], since: '2020-01-01T00:00:00Z', limit: 5 },
  get_evidence: { hash },
  verify_audit: { runId: run },
  list_policies: { name: 'default' },
  set_policies: { name: 'fuzz', yaml: 'name: fuzz\nrules: []\n' },
  cleanup_retention: { retentionDays: 3650 },
  chat_manager: { runId: run, question: 'how is it going?' },
  get_chat: { runId: run, afterSeq: 0, limit: 5 },
  post_message: { runId: run, text: 'hello', taskId: task, replyTo: 'q_00fuzz0000000000' },
  subscribe_webhook: { name: 'fuzz', format: 'json', url: 'http://127.0.0.1:9/hook', secretRef: 'env:AURA_FUZZ_NO_SUCH_KEY', eventTypes: ['RunBlocked'], runId: run },
  list_webhooks: { includeRemoved: true },
  remove_webhook: { subscriptionId: 'ntf_00fuzz0000000000' },
  list_webhook_deliveries: { status: 'dead_letter', subscriptionId: 'ntf_00fuzz0000000000', runId: run, limit: 5 },
  redeliver_webhook: { deliveryId: 999_999 },
  list_integrations: {},
  configure_integration: { name: 'fuzz', kind: 'slack', baseUrl: 'http://127.0.0.1:9', credentialRef: 'env:AURA_FUZZ_NO_SUCH_KEY', settings: {}, ratePerSecond: 1, burst: 1 },
  check_integration: { name: 'fuzz-none' },
  call_integration: { connector: 'fuzz-none', method: 'post_message', params: { channel: 'general', text: 'fuzz' }, runId: run, idempotencyKey: 'fuzz', reason: 'fuzz' },
  list_templates: {},
  get_template: { name: 'build', version: 1 },
  save_template: { runId: run, name: 'fuzz-saved', title: 'Fuzz', description: 'fuzzed' },
  get_assignment: {},
  report_progress: { taskId: task, note: 'half way', percent: 50 },
  ask_manager: { taskId: task, question: 'which port?' },
  submit_result: { taskId: task, status: 'succeeded', summary: 'done', output: { ok: true }, claimsChecksPassed: true, tokensIn: 1, tokensOut: 1, costUsd: 0 },
  memory_search: { query: 'fuzz', scopes: ['project'], keyPrefix: 'fuzz/', tags: ['fuzz'], mode: 'keyword', match: 'any', limit: 5 },
  memory_get: { scope: 'project', key: 'fuzz/seed', version: 1 },
  memory_put: { scope: 'project', key: 'fuzz/seed', content: 'seed', tags: ['fuzz'] },
  memory_history: { scope: 'project', key: 'fuzz/seed', from: 1 },
  memory_delete: { scope: 'project', key: 'fuzz/seed', reason: 'fuzz' },
  memory_list: { scope: 'project', keyPrefix: 'fuzz/', limit: 5 },
  propose_memory: { scope: 'run', namespace: run, key: 'fuzz/seed', content: 'seed' },
  resolve_memory_proposal: { proposalId: 'mprop_00fuzz0000000000', approved: true, note: 'ok' },
};
