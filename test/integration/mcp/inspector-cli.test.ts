// The MCP Inspector's CLI lists the tools of `aura mcp` and calls one (the version pinned here runs on Node 20).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CLI } from '../../support/cli';
import { seededHome } from './support/mcp-harness';

/**
 * 0.15.0 is the newest release without an `engines` field above Node 20; 0.16.0 and later declare
 * node >=22.7.5 (2.x: >=22.19.0). docs/mcp.md says which later versions were also seen to work here.
 */
export const INSPECTOR = '@modelcontextprotocol/inspector@0.15.0';

async function inspector(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = await seededHome();
  const tsx = require.resolve('tsx/cjs');
  const child = spawn(
    'npx',
    ['--yes', INSPECTOR, '--cli', '-e', `AURA_HOME=${home}`, '-e', 'AURA_LOG_LEVEL=warn', process.execPath, '--require', tsx, CLI, 'mcp', ...args],
    { cwd: path.join(__dirname, '..', '..', '..'), env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`inspector timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe(`MCP Inspector CLI (${INSPECTOR})`, function () {
  this.timeout(240_000);

  it('lists the tools of aura mcp with their schemas and annotations', async () => {
    const result = await inspector(['--method', 'tools/list'], 230_000);
    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout) as { tools: Array<{ name: string; outputSchema?: unknown; annotations?: { readOnlyHint?: boolean } }> };
    const names = listed.tools.map((t) => t.name);
    for (const name of ['list_employees', 'query_events', 'verify_audit']) assert.ok(names.includes(name), `${name} listed`);
    assert.ok(listed.tools.every((t) => t.outputSchema && t.annotations && typeof t.annotations.readOnlyHint === 'boolean'));
  });

  it('calls verify_audit and gets its structured result', async () => {
    const result = await inspector(['--method', 'tools/call', '--tool-name', 'verify_audit'], 230_000);
    assert.equal(result.code, 0, result.stderr);
    const called = JSON.parse(result.stdout) as { structuredContent: { ok: boolean; events: number } };
    assert.equal(called.structuredContent.ok, true);
    assert.ok(called.structuredContent.events >= 1);
  });
});
