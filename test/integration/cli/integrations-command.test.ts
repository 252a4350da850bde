// `aura integrations` against a real `aura serve` and the Slack stand-in: configure, list, check, a read, and a write
// that waits for `aura approve` and is then posted once by the server's integration runner. The token stays in the
// server's environment: the CLI only ever names it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, type CliResult, runCli, type ServeProcess, servePorts, startServe } from '../../support/cli';
import { startSlackStandIn, type SlackStandIn } from '../../support/integration-stand-ins/slack-stand-in';

const TOKEN = 'xoxb-cli-test-8e1f3a9d2c';

describe('aura integrations', function () {
  this.timeout(240_000);
  let home: string;
  let serve: ServeProcess;
  let env: NodeJS.ProcessEnv;
  let slack: SlackStandIn;
  const aura = (...args: string[]): Promise<CliResult> => runCli(args, env);

  before(async () => {
    slack = await startSlackStandIn({ token: TOKEN });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-cli-integrations-'));
    env = childEnv({ AURA_HOME: home, AURA_CLI_SLACK_TOKEN: TOKEN, ...(await servePorts()) });
    serve = await startServe(env);
  });
  after(async () => {
    await serve?.stop();
    await slack?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('configures, lists and checks a connector', async () => {
    const configured = await aura('integrations', 'configure', 'ops', '--kind', 'slack', '--url', slack.url, '--credential', 'env:AURA_CLI_SLACK_TOKEN', '--rate', '2', '--burst', '4');
    assert.equal(configured.code, 0, configured.stderr);
    assert.match(configured.stdout, /Configured slack connector ops .* in workspace default/);
    const listed = await aura('integrations', 'list');
    assert.match(listed.stdout, /default\s+ops\s+slack\s+http:\/\/127\.0\.0\.1:\d+\s+env:AURA_CLI_SLACK_TOKEN\s+post_message/);
    const checked = await aura('integrations', 'check', 'ops');
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /^ok {2}ops \(slack, \d+ ms\): Slack answers/);
    const bad = await aura('integrations', 'call', 'ops', 'post_message', '--params', '{channel:');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--params must be a JSON object/);
  });

  it('posts a message only after aura approve, once', async () => {
    const asked = await aura('integrations', 'call', 'ops', 'post_message', '--params', JSON.stringify({ channel: 'general', text: 'Release 1.2 is out' }), '--json');
    assert.equal(asked.code, 0, asked.stderr);
    const answer = JSON.parse(asked.stdout) as { heldForApproval: boolean; call: { id: string } };
    assert.equal(answer.heldForApproval, true);
    assert.equal(slack.messages.length, 0);
    const approved = await aura('approve', answer.call.id);
    assert.equal(approved.code, 0, approved.stderr);
    const deadline = Date.now() + 20_000;
    while (slack.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(slack.messages.map((m) => m.text), ['Release 1.2 is out']);
    const read = await aura('integrations', 'call', 'ops', 'auth_test');
    assert.match(read.stdout, /succeeded[\s\S]*"user": "aura-bot"/);
    assert.ok(!fs.readFileSync(path.join(home, 'logs', 'serve', 'latest.log'), 'utf8').includes(TOKEN), 'the token is not in the server log');
  });
});
