// `aura serve`: /health, /ready and /metrics on both databases, graceful shutdown, and clear start-up errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childEnv, runCli, servePorts, startServe } from '../../support/cli';
import { createPgDatabase, type TestDatabase } from '../../support/stores';

const tmpHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aura-home-'));

describe('aura serve', function () {
  this.timeout(120_000);

  it('answers /health, /ready and /metrics on the embedded database and stops cleanly on SIGTERM', async () => {
    const home = tmpHome();
    const ports = await servePorts();
    const port = ports.AURA_API_PORT;
    const serve = await startServe(childEnv({ AURA_HOME: home, ...ports }));
    try {
      const base = `http://127.0.0.1:${port}`;
      const health = await fetch(`${base}/health`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      const ready = await fetch(`${base}/ready`);
      const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
      // Readiness also covers the container engine, which this test does not need: only its status code follows it.
      assert.equal(ready.status, body.ready ? 200 : 503);
      assert.equal(body.checks.database!.ok, true);
      assert.equal(body.checks.migrations!.ok, true);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /aura_events_appended_total\{type="AuditKeyGenerated"\} 1/);
      assert.ok(fs.existsSync(path.join(home, 'serve.json')));
      assert.ok(fs.existsSync(path.join(home, 'logs', 'serve', 'latest.log')));
      assert.equal((fs.statSync(path.join(home, 'secrets', 'audit.key')).mode & 0o777).toString(8), '600');
      assert.match(serve.output(), /generated an audit key/);
    } finally {
      assert.equal(await serve.stop('SIGTERM'), 0);
    }
    assert.ok(!fs.existsSync(path.join(home, 'serve.json')));
    assert.ok(!fs.existsSync(path.join(home, 'db.lock')));
  });

  it('serves the model gateway on AURA_GATEWAY_PORT, named in serve.json, refusing a call without a grant token', async () => {
    const home = tmpHome();
    const ports = await servePorts();
    const serve = await startServe(childEnv({ AURA_HOME: home, ...ports }));
    try {
      const gatewayUrl = `http://127.0.0.1:${ports.AURA_GATEWAY_PORT}`;
      assert.equal((JSON.parse(fs.readFileSync(path.join(home, 'serve.json'), 'utf8')) as { gatewayUrl: string }).gatewayUrl, gatewayUrl);
      const refused = await fetch(`${gatewayUrl}/anthropic/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'not-a-grant' }, body: '{}' });
      assert.equal(refused.status, 401);
      assert.match(((await refused.json()) as { error: { type: string; message: string } }).error.message, /unknown or revoked token/);
    } finally {
      assert.equal(await serve.stop('SIGTERM'), 0);
    }
  });

  describe('on PostgreSQL', () => {
    let db: TestDatabase;
    before(async () => (db = await createPgDatabase()));
    after(async () => db.drop());

    it('migrates and reports ready', async () => {
      const ports = await servePorts();
      const port = ports.AURA_API_PORT;
      const serve = await startServe(childEnv({ AURA_HOME: tmpHome(), ...ports, DATABASE_URL: db.url }));
      try {
        const ready = (await (await fetch(`http://127.0.0.1:${port}/ready`)).json()) as { ready: boolean; checks: Record<string, { ok: boolean; detail: string }> };
        assert.equal(ready.checks.database!.ok, true);
        assert.equal(ready.checks.migrations!.ok, true);
        assert.match(ready.checks.database!.detail, /postgres/);
      } finally {
        assert.equal(await serve.stop('SIGINT'), 0);
      }
    });
  });

  it('refuses a bad port naming the variable', async () => {
    const result = await runCli(['serve'], childEnv({ AURA_HOME: tmpHome(), ...(await servePorts()), AURA_API_PORT: '70000' }));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /AURA_API_PORT="70000": expected a TCP port number/);
  });

  it('says which setting to change when the port is taken', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runCli(['serve'], childEnv({ AURA_HOME: tmpHome(), ...(await servePorts()), AURA_API_PORT: String(port) }));
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`Port ${port} on 127.0.0.1 is already in use.*AURA_API_PORT`));
    } finally {
      blocker.close();
    }
  });

  it('names DATABASE_URL when the database cannot be reached, without its password', async () => {
    const result = await runCli(['serve'], childEnv({ AURA_HOME: tmpHome(), ...(await servePorts()), DATABASE_URL: 'postgres://aura:hunter2@127.0.0.1:1/nowhere' }));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Cannot reach the database at DATABASE_URL \(postgres:\/\/aura:\*\*\*@127\.0\.0\.1:1\/nowhere\)/);
    assert.ok(!result.stderr.includes('hunter2'));
  });

  it('refuses a corrupt embedded database with a clear error and leaves its files untouched', async () => {
    const home = tmpHome();
    const dbDir = path.join(home, 'db');
    fs.mkdirSync(dbDir, { recursive: true });
    fs.writeFileSync(path.join(dbDir, 'PG_VERSION'), 'not a version\n');
    fs.writeFileSync(path.join(dbDir, 'postgresql.conf'), '\u0000\u0001garbage');
    const before = fs.readdirSync(dbDir).map((f) => [f, fs.readFileSync(path.join(dbDir, f)).toString('hex')]);
    const result = await runCli(['serve'], childEnv({ AURA_HOME: home, ...(await servePorts()) }));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /The embedded database at .*db cannot be opened .* move the folder aside/);
    const after = fs.readdirSync(dbDir).map((f) => [f, fs.readFileSync(path.join(dbDir, f)).toString('hex')]);
    assert.deepEqual(after, before);
  });
});
