// Recording and replay through the gateway (byte-identical answers with the stand-in gone, misses named by key), and the canary key.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startAnthropicStandIn } from '../../support/stand-ins/anthropic-stand-in';
import { startGeminiStandIn } from '../../support/stand-ins/gemini-stand-in';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { describeStores } from '../../support/stores';
import { createGatewayHarness, type GatewayHarness } from './gateway-harness';

const writeFile = { name: 'write_file', arguments: { path: 'hello.txt', content: 'hi\n' } };

/** The calls an agent makes, as raw HTTP so the bytes it gets back can be compared exactly. */
const exchanges = [
  { protocol: 'anthropic', path: '/v1/messages', body: { model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'write hello.txt' }], metadata: { user_id: 'session-1' } } },
  { protocol: 'openai', path: '/responses', body: { model: 'gpt-5-codex', stream: true, input: 'write hello.txt' } },
  { protocol: 'openai', path: '/chat/completions', body: { model: 'qwen3-coder', messages: [{ role: 'user', content: 'write hello.txt' }] } },
  { protocol: 'gemini', path: '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse', body: { contents: [{ role: 'user', parts: [{ text: 'write hello.txt' }] }] } },
] as const;

async function send(baseUrls: Record<string, string>, token: string, x: (typeof exchanges)[number], overrides: Record<string, unknown> = {}) {
  const response = await fetch(`${baseUrls[x.protocol]}${x.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(x.protocol === 'anthropic' ? { 'x-api-key': token } : x.protocol === 'gemini' ? { 'x-goog-api-key': token } : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ ...x.body, ...overrides }),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}

describeStores('Model gateway: record, replay and the key', (ctx) => {
  let g: GatewayHarness;
  let standIns: Record<'anthropic' | 'openai' | 'gemini', StandIn>;
  before(async () => {
    g = await createGatewayHarness(ctx.store, 'record');
    standIns = { anthropic: await startAnthropicStandIn({ apiKey: g.canary }), openai: await startOpenAIStandIn({ apiKey: g.canary }), gemini: await startGeminiStandIn({ apiKey: g.canary }) };
  });
  after(async () => {
    await g.close();
    for (const s of Object.values(standIns)) await s.close();
  });

  it('serves a recorded attempt back byte for byte, streams included, with every stand-in stopped', async () => {
    const employees = { anthropic: await g.hire('rec-claude', standIns.anthropic.url), openai: await g.hire('rec-codex', `${standIns.openai.url}/v1`), gemini: await g.hire('rec-gemini', standIns.gemini.url) };
    const recorded: Array<Awaited<ReturnType<typeof send>>> = [];
    const assignments = [];
    for (const x of exchanges) {
      standIns[x.protocol].enqueue({ kind: 'answer', text: `answer over ${x.protocol}`, toolCalls: [writeFile], tokensIn: 100, tokensOut: 20 });
      const assignment = await g.assign(employees[x.protocol], `run_replay_${x.protocol}`);
      const grant = await g.service.grant(assignment);
      recorded.push(await send(grant.baseUrls, grant.token, x));
      await grant.revoke();
      assignments.push(assignment);
    }
    for (const s of Object.values(standIns)) await s.close();
    const replay = await g.reopen('replay');
    for (const [i, x] of exchanges.entries()) {
      const grant = await replay.service.grant(assignments[i]!);
      // The session id differs between two runs of an agent: it is not part of the call's key.
      const again = await send(grant.baseUrls, grant.token, x, x.protocol === 'anthropic' ? { metadata: { user_id: 'session-2' } } : {});
      assert.deepEqual([again.status, again.type], [recorded[i]!.status, recorded[i]!.type]);
      assert.ok(again.body.equals(recorded[i]!.body), `${x.protocol} ${x.path}: the replayed body differs from the recorded one`);
      await grant.revoke();
      assert.deepEqual([grant.usage().calls, grant.usage().tokensIn, grant.usage().tokensOut], [1, 100, 20]);
    }
    standIns = { anthropic: await startAnthropicStandIn({ apiKey: g.canary }), openai: await startOpenAIStandIn({ apiKey: g.canary }), gemini: await startGeminiStandIn({ apiKey: g.canary }) };
  });

  it('refuses a call missing from the record in replay mode, naming its key, and the real SDK shows that message', async () => {
    const replay = await g.reopen('replay');
    const e = await g.hire('miss', standIns.anthropic.url);
    const assignment = await g.assign(e, 'run_miss');
    const grant = await replay.service.grant(assignment);
    const client = new Anthropic({ apiKey: grant.token, baseURL: grant.baseUrls.anthropic, maxRetries: 2 });
    await assert.rejects(client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'never recorded' }] }), (error: unknown) => error instanceof Anthropic.BadRequestError && /not in the record, key [0-9a-f]{64}/.test(error.message));
    assert.equal(standIns.anthropic.calls.length, 0);
    assert.equal(grant.refusal()?.reason, 'replay_miss');
    await grant.revoke();
    const [refused] = await g.h.ctx.events.query({ taskId: assignment.taskId, types: ['GatewayCallRefused'] });
    assert.match((refused!.payload as { message: string }).message, /key [0-9a-f]{64}/);
  });

  it('keeps the real key out of every answer, event, log line, call record and ledger row, even when the upstream quotes it', async () => {
    const e = await g.hire('canary', standIns.openai.url);
    const { grant } = await g.grant(e, 'run_canary');
    standIns.openai.enqueue({ kind: 'answer', text: 'fine', tokensIn: 5, tokensOut: 1 }, { kind: 'error', status: 400, message: `Incorrect API key provided: ${g.canary}.` });
    const x = exchanges[2];
    const ok = await send(grant.baseUrls, grant.token, x);
    const quoted = await send(grant.baseUrls, grant.token, x, { messages: [{ role: 'user', content: 'again' }] });
    await grant.revoke();
    assert.equal(standIns.openai.calls.at(-1)!.headers.authorization, `Bearer ${g.canary}`, 'the key did reach the upstream');
    assert.equal(quoted.status, 400);
    assert.match(quoted.body.toString(), /Incorrect API key provided: \[redacted\]/);
    const seen: Record<string, string> = {
      answers: ok.body.toString() + quoted.body.toString(),
      grant: JSON.stringify(grant),
      events: JSON.stringify(await g.h.ctx.events.query({})),
      logs: g.logLines.join('\n'),
    };
    const tables = await ctx.store.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'aura'");
    for (const { table_name } of tables.rows) seen[`aura.${table_name}`] = JSON.stringify((await ctx.store.query(`SELECT t::text AS row FROM aura.${table_name} t`)).rows);
    assert.ok(seen['aura.call_records']!.includes('[redacted]'), 'the quoted key was recorded scrubbed');
    for (const [where, text] of Object.entries(seen)) assert.ok(!text.includes(g.canary), `the key appears in ${where}`);
  });
});
