// The local orchestrator the extension owns, and the connection to it: the real bundled `aura serve`, started and stopped.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from '../../../extension/connection/connection';
import { childEnv, createLocalOrchestrator, type LocalOrchestrator, readLocalToken } from '../../../extension/connection/local-orchestrator';
import type { ConnectionState } from '../../../webview-ui/protocol/messages';

const auraJs = path.resolve(__dirname, '..', '..', '..', 'dist', 'aura.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function orchestrator(home: string, lines: string[] = []): Promise<LocalOrchestrator> {
  return createLocalOrchestrator({ auraJs, home, host: '127.0.0.1', apiPort: await freePort(), mcpPort: await freePort(), uiPort: await freePort(), log: (l) => lines.push(l), readyTimeoutMs: 60_000 });
}

describe('local orchestrator', function () {
  this.timeout(90_000);
  const homes: string[] = [];
  const running: LocalOrchestrator[] = [];
  const tmpHome = () => {
    const h = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-local-'));
    homes.push(h);
    return h;
  };

  before(() => {
    if (!fs.existsSync(auraJs)) throw new Error('dist/aura.js is missing: build first (node esbuild.mjs)');
  });
  after(async () => {
    for (const o of running) await o.stop();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  it('passes only allow-listed variables of the parent to the child', () => {
    const env = childEnv({ auraJs, home: '/h', host: '127.0.0.1', apiPort: 1, mcpPort: 2, uiPort: 3, log: () => undefined, env: { OPENAI_API_KEY: 'k' } }, { PATH: '/bin', AWS_SECRET_ACCESS_KEY: 'leak', DATABASE_URL: 'postgres://x' });
    assert.equal(env.PATH, '/bin');
    assert.equal(env.AWS_SECRET_ACCESS_KEY, undefined);
    assert.equal(env.DATABASE_URL, undefined, 'the local orchestrator uses its own embedded database');
    assert.equal(env.OPENAI_API_KEY, 'k');
    assert.equal(env.AURA_MCP_PORT, '2');
    assert.equal(env.ELECTRON_RUN_AS_NODE, '1');
  });

  it('starts aura serve, connects with the token it wrote, refuses a wrong token, and stops it', async () => {
    const home = tmpHome();
    const local = await orchestrator(home);
    running.push(local);
    await local.start();
    assert.ok(local.running);
    const token = readLocalToken(home);
    assert.ok(token, 'aura serve wrote its local token');
    const states: ConnectionState[] = [];
    const connection = createConnection({ url: () => local.urls.mcp, token: async () => token, clientVersion: 'test', log: () => undefined, backoffMs: [100] });
    connection.onState((s) => states.push(s));
    assert.equal(await connection.connect(), undefined);
    assert.equal(connection.state, 'connected');
    assert.ok(connection.tools.includes('list_employees'), `tools: ${connection.tools.join(', ')}`);
    assert.deepEqual(await connection.call('list_employees', {}), { employees: [] });

    const wrong = createConnection({ url: () => local.urls.mcp, token: async () => 'aura_wrong_token_000000000000000000000000', clientVersion: 'test', log: () => undefined });
    assert.equal(await wrong.connect(), 'unauthorized');
    assert.equal(wrong.state, 'unauthorized');
    await wrong.dispose();

    const pid = local.pid!;
    await local.stop();
    assert.equal(local.running, false);
    assert.throws(() => process.kill(pid, 0), 'the process is gone');
    await connection.dispose();
    assert.deepEqual(states.slice(0, 2), ['connecting', 'connected']);
  });

  it('reports nothing listening as unreachable', async () => {
    const port = await freePort();
    const nobody = createConnection({ url: () => `http://127.0.0.1:${port}/mcp`, token: async () => undefined, clientVersion: 'test', log: () => undefined });
    assert.equal(await nobody.connect(), 'unreachable');
    assert.equal(nobody.state, 'disconnected');
    await nobody.dispose();
  });

  it('fails to start with the reason when its port is taken, and leaves no process', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as net.AddressInfo).port)));
    try {
      const lines: string[] = [];
      const local = createLocalOrchestrator({ auraJs, home: tmpHome(), host: '127.0.0.1', apiPort: port, mcpPort: await freePort(), uiPort: await freePort(), log: (l) => lines.push(l) });
      await assert.rejects(local.start(), /exited .*(already in use|AURA_API_PORT)/s);
      assert.equal(local.running, false);
    } finally {
      blocker.close();
    }
  });
});
