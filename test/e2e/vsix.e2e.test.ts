// The packaged .vsix: small, and the `aura serve` inside it starts from where VS Code unpacks it (nothing it needs left out).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectAuraClient } from '../../webview-ui/protocol/aura-client';
import { VSIX } from './support/code-server';
import { freePort, startDaemon, waitHttp } from './support/daemons';

describe('the packaged extension', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-vsix-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stays under 20 MB and holds none of our sources, tests or source maps', () => {
    assert.ok(fs.statSync(VSIX).size < 20 * 1024 * 1024, `${fs.statSync(VSIX).size} bytes`);
    const listing = execFileSync('unzip', ['-Z1', VSIX], { encoding: 'utf8' }).split('\n');
    const ours = listing.filter((f) => !f.includes('/node_modules/'));
    assert.deepEqual(ours.filter((f) => /^extension\/(core|adapters|mcp-server|test|webview-ui|bench)\//.test(f) || /\.(map|ts)$/.test(f)), []);
    assert.ok(listing.includes('extension/dist/extension.js'));
    assert.ok(listing.includes('extension/dist/webview/dashboard.js'));
  });

  it('runs its bundled aura serve from the unpacked folder, MCP and dashboard included', async () => {
    execFileSync('unzip', ['-q', VSIX, '-d', dir]);
    const home = path.join(dir, 'home');
    const [api, mcp, ui] = [await freePort(), await freePort(), await freePort()];
    const daemon = startDaemon('aura-serve-from-vsix', process.execPath, [path.join(dir, 'extension', 'dist', 'aura.js'), 'serve'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AURA_HOME: home, AURA_API_PORT: String(api), AURA_MCP_PORT: String(mcp), AURA_UI_PORT: String(ui), AURA_GATEWAY_PORT: String(await freePort()) },
      cwd: dir,
    });
    try {
      await waitHttp(`http://127.0.0.1:${api}/health`, 90_000, daemon);
      await waitHttp(`http://127.0.0.1:${ui}/login`, 30_000, daemon);
      const token = fs.readFileSync(path.join(home, 'secrets', 'mcp-local.token'), 'utf8').trim();
      const client = await connectAuraClient({ url: `http://127.0.0.1:${mcp}/mcp`, token, clientName: 'vsix-check', clientVersion: '1' });
      assert.deepEqual(await client.call('list_employees', {}), { employees: [] });
      await client.close();
      const js = await fetch(`http://127.0.0.1:${ui}/assets/dashboard.js`);
      assert.equal(js.status, 200);
    } finally {
      await daemon.stop();
    }
  });
});
