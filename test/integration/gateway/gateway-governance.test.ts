// What the gateway refuses: calls without a live grant's token, other endpoints, and calls over budget or cap mid-attempt.
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { GatewayRefusal } from '../../../core/gateway/model-gateway';
import { rememberRunIn } from '../../../core/governance/budget/run-budgets';
import { startAnthropicStandIn } from '../../support/stand-ins/anthropic-stand-in';
import { startOpenAIStandIn } from '../../support/stand-ins/openai-stand-in';
import type { StandIn } from '../../support/stand-ins/stand-in-server';
import { describeStores } from '../../support/stores';
import { director } from '../governance/harness';
import { createGatewayHarness, type GatewayHarness } from './gateway-harness';

const ask = (client: Anthropic, text = 'hi') => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: text }] });

describeStores('Model gateway: tokens, endpoints and budgets', (ctx) => {
  let g: GatewayHarness;
  let anthropic: StandIn;
  let openai: StandIn;
  before(async () => {
    g = await createGatewayHarness(ctx.store);
    anthropic = await startAnthropicStandIn({ apiKey: g.canary });
    openai = await startOpenAIStandIn({ apiKey: g.canary });
  });
  afterEach(() => {
    anthropic.reset();
    openai.reset();
  });
  after(async () => {
    await g.close();
    await anthropic.close();
    await openai.close();
  });

  it('refuses a call without a token as unauthorised, sending nothing upstream', async () => {
    const response = await fetch(`${g.listener.url}/anthropic/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"m","max_tokens":1,"messages":[]}' });
    assert.equal(response.status, 401);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /no token/);
    assert.equal(anthropic.calls.length, 0);
  });

  it('refuses a wrong token with the protocol\'s authentication error, which the SDK raises', async () => {
    const client = new Anthropic({ apiKey: 'aura-gw-not-a-real-token', baseURL: `${g.listener.url}/anthropic`, maxRetries: 2 });
    await assert.rejects(ask(client), (error: unknown) => error instanceof Anthropic.AuthenticationError && /unknown or revoked token/.test(error.message));
    assert.equal(anthropic.calls.length, 0);
  });

  it('refuses the token of a revoked grant', async () => {
    const e = await g.hire('revoked', anthropic.url);
    const { grant } = await g.grant(e, 'run_revoked');
    anthropic.enqueue({ kind: 'answer', text: 'ok' });
    const client = new Anthropic({ apiKey: grant.token, baseURL: grant.baseUrls.anthropic, maxRetries: 0 });
    await ask(client);
    await grant.revoke();
    await assert.rejects(ask(client), (error: unknown) => error instanceof Anthropic.AuthenticationError);
    assert.equal(anthropic.calls.length, 1);
  });

  it('refuses a path that is not a model endpoint of the protocol', async () => {
    const e = await g.hire('wanderer', anthropic.url);
    const { grant } = await g.grant(e, 'run_paths');
    const response = await fetch(`${grant.baseUrls.anthropic}/v1/organizations/me`, { headers: { 'x-api-key': grant.token } });
    assert.equal(response.status, 404);
    const other = await fetch(`${g.listener.url}/ollama/api/chat`, { method: 'POST', headers: { authorization: `Bearer ${grant.token}` } });
    assert.equal(other.status, 404);
    assert.equal(anthropic.calls.length, 0);
    await grant.revoke();
  });

  it('ends the attempt when a call crosses the run budget, and refuses its next call with the protocol error the agent shows', async () => {
    // $1000 per million tokens: 300 tokens cost $0.30, over the run's $0.25.
    const e = await g.hire('spender', anthropic.url, { costTable: { inputPerMTok: 1000, outputPerMTok: 1000 } });
    const { assignment, grant } = await g.grant(e, 'run_budget', 0.25);
    const heard: GatewayRefusal[] = [];
    grant.onRefusal((r) => heard.push(r));
    anthropic.enqueue({ kind: 'answer', text: 'first', tokensIn: 200, tokensOut: 100 }, { kind: 'answer', text: 'never sent' });
    const client = new Anthropic({ apiKey: grant.token, baseURL: grant.baseUrls.anthropic, maxRetries: 2 });
    assert.equal(((await ask(client)).content[0] as { text: string }).text, 'first');
    assert.deepEqual(heard.map((r) => r.reason), ['budget_exceeded']);
    await assert.rejects(ask(client), (error: unknown) => error instanceof Anthropic.APIError && error.status === 402 && /over budget/.test(error.message) && /budget-exceeded-halts/.test(error.message));
    assert.equal(anthropic.calls.length, 1, 'the refused call never reached upstream, and was not retried');
    await grant.revoke();
    const refused = await g.h.ctx.events.query({ taskId: assignment.taskId, types: ['GatewayCallRefused'] });
    assert.deepEqual(refused.map((ev) => (ev.payload as { reason: string }).reason), ['budget_exceeded']);
    assert.equal(grant.refusal()?.reason, 'budget_exceeded');
  });

  it('refuses a call whose prompt alone would take the run over budget before sending it', async () => {
    const e = await g.hire('big-prompt', `${openai.url}/v1`, { costTable: { inputPerMTok: 1000, outputPerMTok: 1000 } });
    const { grant } = await g.grant(e, 'run_prompt', 0.5);
    const client = new OpenAI({ apiKey: grant.token, baseURL: grant.baseUrls.openai, maxRetries: 2 });
    // About 2,500 tokens of prompt: $2.50 at this employee's price.
    await assert.rejects(client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 402 && /would take the run's spending/.test(error.message));
    assert.equal(openai.calls.length, 0);
    assert.equal(grant.refusal()?.reason, 'budget_exceeded');
    await grant.revoke();
  });

  it('ends the attempt on a call over the per-call cap when the policy in force denies it', async () => {
    await g.h.gov.policies.set('strict-calls', 'name: strict-calls\nrules:\n  - name: call-cap-halts\n    on: [cost]\n    when: cost.scope == "call" && cost.hasLimit && cost.spentUsd > cost.limitUsd\n    action: deny\n    reason: One call cost more than the per-call cap.\n', director.actor);
    await g.h.gov.caps.set(director, 'call', 0.05);
    try {
      const e = await g.hire('capped', anthropic.url, { costTable: { inputPerMTok: 1000, outputPerMTok: 1000 } });
      const assignment = await g.assign(e, 'run_call_cap');
      await rememberRunIn(ctx.store, { ...g.h.run('run_call_cap'), policySet: 'strict-calls', costUsd: 0 }, g.h.clock.now());
      const grant = await g.service.grant(assignment);
      anthropic.enqueue({ kind: 'answer', text: 'dear', tokensIn: 60, tokensOut: 40 });
      await ask(new Anthropic({ apiKey: grant.token, baseURL: grant.baseUrls.anthropic, maxRetries: 0 }));
      assert.equal(grant.refusal()?.reason, 'call_cap');
      assert.match(grant.refusal()!.message, /call-cap-halts/);
      await grant.revoke();
    } finally {
      await g.h.gov.caps.set(director, 'call', null);
    }
  });
});
