// The stand-in as its own process, as e2e suites and containers use it: scripted over HTTP, reached by an adapter.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { createModelProvider } from '../../../adapters/model-providers';
import { employeeProfileSchema } from '../../../core/workforce/employee';
import { callsOfRemote, enqueueRemote } from '../../support/stand-ins/stand-in-control';

const root = path.join(__dirname, '..', '..', '..');

describe('serve-stand-in (a stand-in in its own process)', () => {
  let child: ChildProcess;
  let url: string;
  before(async function () {
    this.timeout(20_000);
    child = spawn(process.execPath, ['--require', 'tsx/cjs', 'test/support/stand-ins/serve-stand-in.ts', '--protocol', 'openai', '--key-env', 'STAND_IN_SERVED_KEY', '--fallback-text', '{"summary":"fallback","files":[]}'], {
      cwd: root,
      env: { ...process.env, STAND_IN_SERVED_KEY: 'sk-served-key-1234' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const first = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
    });
    url = (JSON.parse(first) as { url: string }).url;
  });
  after(() => {
    child?.kill('SIGTERM');
  });

  it('serves scripted answers, then its fallback, to the adapter, and reports the calls without the key', async () => {
    await enqueueRemote(url, { kind: 'answer', text: '{"summary":"scripted","files":[]}', tokensIn: 3, tokensOut: 2 });
    const provider = createModelProvider(employeeProfileSchema.parse({ name: 'e2e', provider: 'openai', model: 'any', baseUrl: `${url}/v1`, apiKeyRef: 'env:SERVED' }), {
      secrets: { env: { SERVED: 'sk-served-key-1234' } },
    });
    const request = { messages: [{ role: 'user' as const, content: 'go' }] };
    assert.equal(JSON.parse((await provider.complete(request)).text).summary, 'scripted');
    assert.equal(JSON.parse((await provider.complete(request)).text).summary, 'fallback');
    const calls = await callsOfRemote(url);
    assert.equal(calls.length, 2);
    assert.equal(calls[0]!.headers.authorization, '[redacted]');
  });
});
