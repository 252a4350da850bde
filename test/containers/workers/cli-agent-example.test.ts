// The example agents of docs/cli-agent-protocol.md work as documented, as employees in real containers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTarStream } from '../../../adapters/containers/tar-writer';
import { createCliAgentWorker } from '../../../core/workforce/workers/cli-agent-worker';
import { withWorkspace } from '../../../core/workspace/with-workspace';
import { assignment, employee, useWorkerSuite, workContext } from './worker-harness';

const root = path.join(__dirname, '..', '..', '..');
const AGENT_IMAGE = 'aura/example-agent:test';

describe('the documented example agents (real containers)', function () {
  this.timeout(60_000);
  const suite = useWorkerSuite();

  const run = async (command: string[], task: Parameters<typeof assignment>[1]) => {
    const emp = employee({ provider: 'cli', model: 'example-agent', command, ...(command[0] === 'node' ? { image: AGENT_IMAGE } : {}) });
    const worker = withWorkspace(() => createCliAgentWorker({ runtime: suite.runtime, defaultImage: suite.image, employee: emp, runlogs: suite.runlogs }), { workspace: suite.workspace })(emp);
    const a = assignment(emp, task);
    return { a, result: await worker.execute(a, workContext()), repo: async () => (await suite.workspace.getRun(a.runId))!.repoPath };
  };

  /** The documented way to ship an agent: an image of your own, built on the worker image, with the agent in it. */
  before(async function () {
    this.timeout(120_000);
    const script = fs.readFileSync(path.join(root, 'docs', 'examples', 'cli-agent', 'example-agent.js'));
    const dockerfile = Buffer.from(`FROM ${suite.image}\nCOPY example-agent.js /opt/agent/example-agent.js\n`);
    const context = createTarStream([
      { type: 'file', path: 'Dockerfile', mode: 0o644, content: dockerfile },
      { type: 'file', path: 'example-agent.js', mode: 0o644, content: script },
    ]);
    const stream = await suite.runtime.engine.docker.buildImage(context, { t: AGENT_IMAGE });
    await new Promise<void>((resolve, reject) => suite.runtime.engine.docker.modem.followProgress(stream, (error: Error | null, out: Array<{ error?: string }>) => {
      const failed = error ?? out.find((o) => o.error);
      return failed ? reject(new Error(String((failed as { error?: string }).error ?? failed))) : resolve();
    }));
  });

  after(async () => {
    await suite.runtime.engine.docker.getImage(AGENT_IMAGE).remove({ force: true }).catch(() => undefined);
  });

  it('example-agent.js, in an image of its own, writes its file, runs the acceptance commands and reports them', async () => {
    const { result, repo } = await run(['node', '/opt/agent/example-agent.js'], { title: 'Describe the service', description: 'It bills.', scope: ['docs/SERVICE.md'], acceptance: { criteria: [], commands: ['grep -q "It bills." docs/SERVICE.md'] } });
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(result.claimsChecksPassed, true);
    assert.equal(execFileSync('git', ['show', `${result.commit}:docs/SERVICE.md`], { cwd: await repo(), encoding: 'utf8' }), '# Describe the service\n\nIt bills.\n');
  });

  it('example-agent.js reports failed acceptance commands as a failure', async () => {
    const { result } = await run(['node', '/opt/agent/example-agent.js'], { scope: ['a.md'], acceptance: { criteria: [], commands: ['test -f missing.txt'] } });
    assert.equal(result.status, 'failed');
    assert.equal(result.claimsChecksPassed, false);
  });

  it('the shell example answers on stdout', async () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'cli-agent-protocol.md'), 'utf8');
    const script = /```sh\n(#!\/bin\/sh\nset -e\ncat > \/tmp\/assignment\.json[\s\S]*?)```/.exec(doc)![1]!;
    const { result, repo } = await run(['sh', '-c', script], { scope: ['NOTES.md'] });
    assert.equal(result.status, 'succeeded', result.summary);
    assert.equal(result.summary, 'Wrote NOTES.md');
    assert.match(execFileSync('git', ['show', `${result.commit}:NOTES.md`], { cwd: await repo(), encoding: 'utf8' }), /^work done at /);
  });
});
