// Integrations end to end against the stand-ins, on PostgreSQL and PGlite: writes held until the Director approves and
// then run once, dedup, retries with Retry-After, the shared rate limit, health, record and replay, no secret in events.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { CoreContext } from '../../../core/core-context';
import type { IntegrationsService } from '../../../core/integrations/integrations-service';
import { createCallRecorder } from '../../../core/replay/call-recorder';
import { claimDueCalls } from '../../../core/integrations/integration-calls';
import { createConnectorFactory } from '../../../adapters/integrations/connector-factory';
import { Secret } from '../../../core/workforce/secret-ref';
import { describeStores } from '../../support/stores';
import { testCore } from '../mcp/support/mcp-harness';
import { configureAll, EMAIL, type Rig, SECRETS, startRig } from './integration-rig';

const director = 'director:test';
let seq = 0;
const unique = (what: string) => `${what} ${Date.now()}-${++seq}`;

describeStores('integrations', (ctx) => {
  let rig: Rig;
  let core: CoreContext;
  let service: IntegrationsService;

  before(async () => {
    rig = await startRig();
    core = testCore(ctx.store);
    service = rig.open(core);
    await configureAll(service, rig);
  });
  after(async () => {
    await service.runner.stop();
    await rig.close();
  });

  const approve = (id: string) => ctx.store.transaction((tx) => service.decideIn(tx, id, { approved: true, by: director }));

  it('holds a Jira write until the Director approves it, then creates the issue exactly once', async () => {
    const summary = unique('Ship the integrations');
    const asked = await service.call({ connector: 'jira', method: 'create_issue', params: { projectKey: 'AURA', summary, description: 'From a run.', labels: ['aura'] } }, 'manager');
    assert.equal(asked.heldForApproval, true);
    assert.equal(asked.call.status, 'pending_approval');
    assert.match(asked.call.id, /^iap_/);
    await service.runner.drain();
    assert.equal(rig.jira.to('/rest/api/3/issue').length, 0, 'nothing reaches Jira before approval');
    await approve(asked.call.id);
    await Promise.all([service.runner.drain(), service.runner.drain(), rig.open(core).runner.drain()]);
    const posts = rig.jira.to('/rest/api/3/issue');
    assert.equal(posts.length, 1, 'exactly one request after approval');
    assert.equal(posts[0]!.headers.authorization, `Basic ${Buffer.from(`${EMAIL}:${SECRETS.jira}`).toString('base64')}`);
    const issue = rig.jira.issues.find((i) => i.summary === summary)!;
    assert.deepEqual([issue.issueType, issue.labels, (issue.description as { type: string }).type], ['Task', ['aura'], 'doc']);
    const done = await service.getCall(asked.call.id);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.result, { id: issue.id, key: issue.key, self: `${rig.jira.url}/rest/api/3/issue/${issue.id}` });
  });

  it('creates an epic as an issue of type Epic', async () => {
    const summary = unique('Epic: integrations');
    const asked = await service.call({ connector: 'jira', method: 'create_epic', params: { projectKey: 'AURA', summary } }, 'manager');
    await approve(asked.call.id);
    await service.runner.drain();
    assert.equal(rig.jira.issues.find((i) => i.summary === summary)?.issueType, 'Epic');
  });

  it('never sends a rejected write', async () => {
    const text = unique('rejected message');
    const asked = await service.call({ connector: 'slack', method: 'post_message', params: { channel: 'general', text } }, 'manager');
    await ctx.store.transaction((tx) => service.decideIn(tx, asked.call.id, { approved: false, by: director, note: 'not now' }));
    await service.runner.drain();
    assert.equal(rig.slack.messages.filter((m) => m.text === text).length, 0);
    assert.equal((await service.getCall(asked.call.id)).status, 'rejected');
    await assert.rejects(approve(asked.call.id), /already rejected/);
  });

  it('posts a Slack message once however often the same message is asked for', async () => {
    const text = unique('Run finished');
    const first = await service.call({ connector: 'slack', method: 'post_message', params: { channel: 'general', text } }, 'manager');
    const again = await service.call({ connector: 'slack', method: 'post_message', params: { channel: 'general', text } }, 'manager');
    assert.equal(again.deduplicated, true);
    assert.equal(again.call.id, first.call.id);
    await approve(first.call.id);
    await service.runner.drain();
    const after = await service.call({ connector: 'slack', method: 'post_message', params: { channel: 'general', text } }, 'manager');
    assert.deepEqual([after.deduplicated, after.call.status], [true, 'succeeded']);
    await service.runner.drain();
    const posted = rig.slack.messages.filter((m) => m.text === text);
    assert.equal(posted.length, 1);
    assert.equal(rig.slack.to('/api/chat.postMessage').at(-1)!.headers.authorization, `Bearer ${SECRETS.slack}`);
    assert.deepEqual((await service.getCall(first.call.id)).result, { channel: 'general', ts: posted[0]!.ts });
  });

  it('pushes the run branch to the remote and opens a pull request from it', async () => {
    const asked = await service.call({ connector: 'github', method: 'open_pull_request', params: { runId: rig.runId, title: 'Aura run', body: 'What the run built.' }, runId: rig.runId }, 'manager');
    const branch = `aura/run-${rig.runId}`;
    assert.throws(() => execFileSync('git', ['rev-parse', '--verify', `refs/heads/${branch}`], { cwd: rig.bareRemote, stdio: 'pipe' }), 'not pushed before approval');
    await approve(asked.call.id);
    await service.runner.drain();
    const pushed = execFileSync('git', ['rev-parse', `refs/heads/${branch}`], { cwd: rig.bareRemote, encoding: 'utf8' }).trim();
    assert.equal(pushed, await rig.workspace.runHead(rig.runId));
    assert.equal(rig.github.pulls.length, 1);
    assert.deepEqual([rig.github.pulls[0]!.head, rig.github.pulls[0]!.base, rig.github.pulls[0]!.headSha], [branch, 'main', pushed]);
    assert.equal(rig.github.to('/repos/aura-org/product/pulls')[0]!.headers.authorization, `token ${SECRETS.github}`);
    const done = await service.getCall(asked.call.id);
    assert.deepEqual([done.status, (done.result as { number: number }).number], ['succeeded', 1]);
  });

  it('runs an approved write in the next Manager when the one that approved it is gone', async () => {
    const text = unique('survives a restart');
    const asked = await service.call({ connector: 'slack', method: 'post_message', params: { channel: 'general', text } }, 'manager');
    await approve(asked.call.id);
    const next = rig.open(testCore(ctx.store));
    await next.runner.drain();
    await service.runner.drain();
    assert.equal(rig.slack.messages.filter((m) => m.text === text).length, 1);
  });

  it('answers with the pull request a Manager that died mid-call opened, when its lease runs out, and opens no second one', async function () {
    this.timeout(20_000);
    const runId = `${rig.runId}b`;
    await rig.workspace.openRun(runId);
    const params = { runId, title: 'Aura run b' };
    const asked = await service.call({ connector: 'github', method: 'open_pull_request', params, runId }, 'manager');
    await approve(asked.call.id);
    // Manager "dead" claims the write under a short lease and opens the pull request, then dies before recording it.
    const leaseUntil = Date.now() + 3_000;
    const [claimed] = await claimDueCalls(ctx.store, { owner: 'dead', now: new Date(), leaseMs: 3_000, limit: 1 });
    assert.equal(claimed?.id, asked.call.id);
    const github = createConnectorFactory({ workspace: rig.workspace }).open({ kind: 'github', baseUrl: rig.github.url, settings: { owner: 'aura-org', repo: 'product', pushRemote: rig.bareRemote }, credential: new Secret(SECRETS.github, 'env:AURA_TEST_GITHUB_TOKEN'), timeoutMs: 5_000 });
    await github.call('open_pull_request', params, { runId, idempotencyKey: claimed!.idempotencyKey });
    const before = rig.github.pulls.length;
    await service.runner.drain();
    assert.equal((await service.getCall(asked.call.id)).status, 'running', 'not run again while the lease holds');
    await new Promise((r) => setTimeout(r, Math.max(0, leaseUntil - Date.now()) + 50));
    await service.runner.drain();
    const done = await service.getCall(asked.call.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.attempts, 2);
    assert.deepEqual((done.result as { existing: boolean; head: string }).existing, true);
    assert.equal(rig.github.pulls.length, before, 'no second pull request');
  });

  it('retries a 429 after the Retry-After the system sent, and a 500 with backoff, and records each retry', async () => {
    rig.jira.inject({ status: 429, retryAfter: '1', path: '/rest/api/3/myself' });
    rig.jira.inject({ status: 500, path: '/rest/api/3/myself' });
    const before = rig.jira.to('/rest/api/3/myself').length;
    const answer = await service.call({ connector: 'jira', method: 'whoami' }, 'manager');
    assert.deepEqual(answer.call.result, { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Aura Bot' });
    const seen = rig.jira.to('/rest/api/3/myself').slice(before);
    assert.equal(seen.length, 3);
    assert.ok(seen[1]!.at - seen[0]!.at >= 950, `waited ${seen[1]!.at - seen[0]!.at} ms after the 429's Retry-After: 1`);
    const retried = (await ctx.store.query<{ payload: { callId: string; status: number; waitMs: number } }>("SELECT payload FROM aura.events WHERE type = 'IntegrationCallRetried' ORDER BY id")).rows
      .map((r) => r.payload)
      .filter((p) => p.callId === answer.call.id);
    assert.deepEqual(retried.map((p) => p.status), [429, 500]);
    assert.ok(retried[0]!.waitMs >= 1000);
  });

  it('retries Slack’s and GitHub’s 429 and 5xx through their own clients', async () => {
    rig.slack.inject({ status: 429, retryAfter: '1', path: '/api/auth.test' });
    rig.slack.inject({ status: 503, path: '/api/auth.test' });
    rig.github.inject({ status: 502, path: '/repos/aura-org/product' });
    const slackBefore = rig.slack.to('/api/auth.test').length;
    const githubBefore = rig.github.to('/repos/aura-org/product').length;
    const [slack, github] = await Promise.all([service.call({ connector: 'slack', method: 'auth_test' }, 'manager'), service.call({ connector: 'github', method: 'get_repository' }, 'manager')]);
    assert.deepEqual([slack.call.status, slack.call.attempts, (slack.call.result as { user: string }).user], ['succeeded', 1, 'aura-bot']);
    const seen = rig.slack.to('/api/auth.test').slice(slackBefore);
    assert.equal(seen.length, 3);
    assert.ok(seen[1]!.at - seen[0]!.at >= 950, `Slack's Retry-After: 1 waited ${seen[1]!.at - seen[0]!.at} ms`);
    assert.equal(rig.github.to('/repos/aura-org/product').length - githubBefore, 2);
    assert.equal(github.call.status, 'succeeded');
  });

  it('gives up on an answer slower than the timeout, and retries it, with each library', async () => {
    const quick = rig.open(core, { timeoutMs: 300 });
    const cases = [
      { server: rig.jira, path: '/rest/api/3/myself', connector: 'jira', method: 'whoami' },
      { server: rig.slack, path: '/api/auth.test', connector: 'slack', method: 'auth_test' },
      { server: rig.github, path: '/repos/aura-org/product', connector: 'github', method: 'get_repository' },
    ];
    for (const c of cases) {
      c.server.inject({ delayMs: 1_500, path: c.path });
      const before = c.server.to(c.path).length;
      const answer = await quick.call({ connector: c.connector, method: c.method }, 'manager');
      assert.equal(answer.call.status, 'succeeded', c.connector);
      assert.equal(c.server.to(c.path).length - before, 2, `${c.connector}: the slow attempt and its retry`);
      const retried = (await ctx.store.query<{ payload: { callId: string; error: string } }>("SELECT payload FROM aura.events WHERE type = 'IntegrationCallRetried'")).rows.find((r) => r.payload.callId === answer.call.id);
      assert.ok(retried, `${c.connector}: the timeout was retried`);
    }
  });

  it('does not retry a request the system refused (4xx)', async () => {
    const asked = await service.call({ connector: 'jira', method: 'create_issue', params: { projectKey: 'NOPE', summary: unique('unknown project') } }, 'manager');
    const before = rig.jira.to('/rest/api/3/issue').length;
    await approve(asked.call.id);
    await service.runner.drain();
    assert.equal(rig.jira.to('/rest/api/3/issue').length - before, 1);
    const failed = await service.getCall(asked.call.id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error!, /Jira answered 400: project: Specify a valid project ID or key/);
  });

  it('holds the rate limit across two Managers sharing the database', async () => {
    await service.configure({ name: 'slack-limited', kind: 'slack', baseUrl: rig.slack.url, credentialRef: 'env:AURA_TEST_SLACK_TOKEN', ratePerSecond: 5, burst: 2 }, director);
    const otherStore = ctx.kind === 'postgres' ? await ctx.db.open() : ctx.store;
    const other = rig.open(testCore(otherStore));
    try {
      const before = rig.slack.to('/api/auth.test').length;
      const started = Date.now();
      await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? other : service).call({ connector: 'slack-limited', method: 'auth_test' }, 'manager')));
      const times = rig.slack.to('/api/auth.test').slice(before).map((r) => r.at - started);
      assert.equal(times.length, 6);
      // A burst of 2 at once, then one every 200 ms: the sixth no sooner than 4 × 200 ms.
      assert.ok(times[5]! >= 750, `the sixth call went at ${times[5]} ms`);
      assert.ok(times.filter((t) => t < 150).length <= 2, `calls in the first 150 ms: ${times.join(', ')}`);
    } finally {
      if (otherStore !== ctx.store) await otherStore.close();
    }
  });

  it('reports a healthy connector, and one whose system is down', async () => {
    const up = await service.check('default', 'jira', director);
    assert.equal(up.ok, true);
    assert.match(up.detail, /Aura Bot/);
    const down = await service.configure({ name: 'jira-down', kind: 'jira', baseUrl: 'http://127.0.0.1:9', credentialRef: 'env:AURA_TEST_JIRA_TOKEN', settings: { auth: 'bearer' } }, director);
    const report = await service.check('default', down.name, director);
    assert.equal(report.ok, false);
    assert.match(report.detail, /could not be reached/);
    const missing = await service.configure({ name: 'slack-nokey', kind: 'slack', baseUrl: rig.slack.url, credentialRef: 'env:AURA_TEST_NO_SUCH_TOKEN' }, director);
    assert.match((await service.check('default', missing.name, director)).detail, /has no AURA_TEST_NO_SUCH_TOKEN/);
  });

  it('replays a recorded call without calling the system', async () => {
    const recording = rig.open(core, { recorder: createCallRecorder({ store: ctx.store, mode: 'record' }) });
    const recorded = await recording.call({ connector: 'github', method: 'get_repository' }, 'manager');
    const before = rig.github.requests.length;
    const replaying = rig.open(core, { recorder: createCallRecorder({ store: ctx.store, mode: 'replay' }) });
    const replayed = await replaying.call({ connector: 'github', method: 'get_repository' }, 'manager');
    assert.deepEqual(replayed.call.result, recorded.call.result);
    assert.deepEqual(replayed.call.result, { fullName: 'aura-org/product', defaultBranch: 'main', private: false });
    assert.equal(rig.github.requests.length, before, 'the stand-in was not called in replay');
    const ok = (await ctx.store.query<{ payload: { callId: string; replayed: boolean; attempts: number } }>("SELECT payload FROM aura.events WHERE type = 'IntegrationCallSucceeded'")).rows.find((r) => r.payload.callId === replayed.call.id);
    assert.deepEqual([ok?.payload.replayed, ok?.payload.attempts], [true, 0]);
  });

  it('refuses unknown methods and bad params naming the problem', async () => {
    await assert.rejects(service.call({ connector: 'slack', method: 'delete_everything' }, 'manager'), /no method "delete_everything"; it has post_message, auth_test/);
    await assert.rejects(service.call({ connector: 'jira', method: 'create_issue', params: { projectKey: 'aura' } }, 'manager'), /projectKey: expected a Jira project key.*summary/);
    await assert.rejects(service.configure({ name: 'gh', kind: 'github', baseUrl: 'http://x:y@127.0.0.1:1', credentialRef: 'env:X', settings: {} }, director), /a base URL carries no credentials/);
    await assert.rejects(service.configure({ name: 'gh', kind: 'github', baseUrl: 'http://127.0.0.1:1', credentialRef: 'ghp_literal', settings: {} }, director), /credentialRef: expected env:VARIABLE_NAME/);
    await assert.rejects(
      service.configure({ name: 'gh', kind: 'github', baseUrl: 'http://127.0.0.1:1', credentialRef: 'env:X', settings: { owner: 'a', repo: 'b', pushRemote: 'https://x-access-token:ghp_1@github.com/a/b.git' } }, director),
      /pushRemote: a push remote carries no credentials/,
    );
  });

  it('keeps every credential out of the event log and the call record', async () => {
    const { rows } = await ctx.store.query<{ type: string; payload: unknown }>("SELECT type, payload FROM aura.events WHERE type LIKE 'Integration%' OR type LIKE 'Approval%'");
    assert.ok(rows.length > 20);
    const everything = JSON.stringify(rows) + JSON.stringify((await ctx.store.query('SELECT * FROM aura.call_records')).rows) + JSON.stringify((await ctx.store.query('SELECT * FROM aura.integration_calls')).rows);
    const basic = Buffer.from(`${EMAIL}:${SECRETS.jira}`).toString('base64');
    for (const secret of [...Object.values(SECRETS), basic]) assert.ok(!everything.includes(secret), 'a credential is in the stored record');
    assert.ok(rows.some((r) => r.type === 'IntegrationConfigured' && JSON.stringify(r.payload).includes('env:AURA_TEST_JIRA_TOKEN')), 'the reference is recorded');
  });
});
