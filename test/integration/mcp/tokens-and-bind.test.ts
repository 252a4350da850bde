// `aura tokens create|list|revoke` on a real home, and the MCP endpoint's bind rule: no non-loopback address until a
// token exists.
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPgliteStore } from '../../../adapters/store-pglite/pglite-store';
import { AuraError } from '../../../core/domain/errors';
import { createTokenStore } from '../../../mcp-server/auth/token-store';
import { hashTokenSecret } from '../../../mcp-server/auth/token-secret';
import { startMcpHttp } from '../../../mcp-server/mcp/http/start-mcp-http';
import { childEnv, runCli } from '../../support/cli';
import { describeStores } from '../../support/stores';
import { seededHome, testCore, testWorkforce } from './support/mcp-harness';

describe('aura tokens', function () {
  this.timeout(120_000);

  it('creates a token shown once and stored only as its hash, lists it, revokes it, and refuses a bad role', async () => {
    const home = await seededHome();
    const env = childEnv({ AURA_HOME: home, AURA_LOG_LEVEL: 'warn' });
    const created = await runCli(['tokens', 'create', '--role', 'operator', '--name', 'ci-bot', '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    const token = JSON.parse(created.stdout) as { id: string; role: string; name: string; token: string };
    assert.deepEqual([token.role, token.name], ['operator', 'ci-bot']);
    assert.match(token.token, /^aura_[A-Za-z0-9_-]{43}$/);

    const listed = await runCli(['tokens', 'list'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${token.id}\\s+operator\\s+ci-bot\\s+active`));
    assert.ok(!listed.stdout.includes(token.token), 'the secret is never shown again');

    const revoked = await runCli(['tokens', 'revoke', token.id, '--reason', 'rotated'], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /revoked/);

    const bad = await runCli(['tokens', 'create', '--role', 'admin'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--role must be one of director, operator, viewer, employee/);

    const store = await openPgliteStore({ dataDir: path.join(home, 'db') });
    try {
      const rows = (await store.query<{ hash: string; revoked_at: Date | null }>('SELECT hash, revoked_at FROM aura.mcp_tokens')).rows;
      assert.deepEqual(rows.map((r) => r.hash), [hashTokenSecret(token.token)]);
      assert.ok(rows[0]!.revoked_at);
      const types = (await store.query<{ type: string; payload: string }>("SELECT type, payload::text FROM aura.events WHERE type LIKE 'Token%' ORDER BY id")).rows;
      assert.deepEqual(types.map((t) => t.type), ['TokenCreated', 'TokenRevoked']);
      assert.ok(!types.some((t) => t.payload.includes(token.token)), 'no event holds the secret');
    } finally {
      await store.close();
    }
  });
});

describeStores(
  'the MCP bind rule',
  (ctx) => {
    it('refuses a non-loopback address while no token exists, and serves it once one does', async () => {
      const core = testCore(ctx.store, { AURA_HOST: '0.0.0.0' });
      const start = () => startMcpHttp({ core, config: core.config, logger: core.logger, port: 0, compose: { inProcess: testWorkforce().factory, start: false } });
      await assert.rejects(start(), (e: unknown) => AuraError.is(e, 'config') && /Refusing to serve MCP on 0\.0\.0\.0/.test(e.message));
      await createTokenStore(core).create({ role: 'director', name: 'remote' }, 'director:test');
      const server = await start();
      try {
        const res = await fetch(server.url.replace('0.0.0.0', '127.0.0.1'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        assert.equal(res.status, 401, 'reachable, and every request needs a token');
      } finally {
        await server.close();
      }
    });
  },
  { only: 'pglite' },
);
