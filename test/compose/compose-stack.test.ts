// deploy/compose brought up with the real docker-compose: PostgreSQL and aura serve healthy, a PRD run through it by the CLI.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, runCli } from '../support/cli';

const ROOT = path.join(__dirname, '..', '..');
const COMPOSE_DIR = path.join(ROOT, 'deploy', 'compose');

describe('the Docker Compose stack', function () {
  this.timeout(600_000);
  const project = `auratest${process.pid}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-compose-'));
  const home = path.join(work, 'home');
  const envFile = path.join(work, 'compose.env');
  const compose = (...args: string[]) => execFileSync('docker-compose', ['-p', project, '--env-file', envFile, ...args], { cwd: COMPOSE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  before(() => {
    fs.mkdirSync(home, { mode: 0o777 });
    fs.chmodSync(home, 0o777); // the server runs as 65534 in its container and writes here
    const socket = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
    fs.writeFileSync(envFile, `AURA_DB_PASSWORD=compose-test-${process.pid}\nAURA_HOME_HOST=${home}\nDOCKER_GID=${fs.statSync(socket).gid}\nDOCKER_SOCKET=${socket}\nAURA_API_PORT=0\nAURA_MCP_PORT=0\nAURA_UI_PORT=0\n`);
    execFileSync('bash', [path.join(COMPOSE_DIR, 'build-images.sh')], { stdio: 'inherit' });
  });
  after(() => {
    try {
      compose('down', '-v', '--remove-orphans');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('starts PostgreSQL (healthy, on its volume) and aura serve, which reports ready, and runs a PRD submitted by the CLI', async () => {
    compose('up', '-d', 'postgres');
    // A non-loopback bind needs a token first: create the Director's before the server starts.
    const created = JSON.parse(compose('run', '--rm', '-T', 'aura', 'tokens', 'create', '--role', 'director', '--name', 'compose-test', '--json')) as { token: string };
    const tokenFile = path.join(work, 'director.token');
    fs.writeFileSync(tokenFile, created.token, { mode: 0o600 });
    compose('up', '-d');
    const ids = compose('ps', '-q').trim().split('\n');
    assert.equal(ids.length, 2);
    // This machine's engine publishes no ports (dockerd --iptables=false): reach the server on the stack's network.
    const ip = execFileSync('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', `${project}_aura_1`], { encoding: 'utf8' }).trim();
    let ready: { ready: boolean; checks: Record<string, { ok: boolean }> } | undefined;
    for (let i = 0; i < 120 && !ready?.ready; i++) {
      ready = (await fetch(`http://${ip}:8000/ready`).then((r) => r.json()).catch(() => undefined)) as typeof ready;
      if (!ready?.ready) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(ready?.ready, true, JSON.stringify(ready));
    for (const check of ['database', 'migrations', 'container-engine', 'worker-image']) assert.equal(ready!.checks[check]!.ok, true, check);
    const health = execFileSync('docker', ['inspect', '-f', '{{.State.Health.Status}}', `${project}_postgres_1`], { encoding: 'utf8' }).trim();
    assert.equal(health, 'healthy');

    const env = childEnv({ AURA_HOME: path.join(work, 'cli-home'), AURA_SERVER_URL: `http://${ip}:9000/mcp` });
    const prd = path.join(work, 'prd.md');
    fs.writeFileSync(prd, '# Through Compose\n## Steps\n- `sign`: Sign off the release (kind: approval)\n');
    const submitted = await runCli(['submit', prd, '--token-file', tokenFile, '--json'], env);
    assert.equal(submitted.code, 0, submitted.stderr);
    const runId = (JSON.parse(submitted.stdout) as { run: { id: string } }).run.id;
    let approvalId: string | undefined;
    for (let i = 0; i < 60 && !approvalId; i++) {
      const shown = JSON.parse((await runCli(['run', 'show', runId, '--token-file', tokenFile, '--json'], env)).stdout) as { run: { pendingApprovals: Array<{ id: string }> } };
      approvalId = shown.run.pendingApprovals[0]?.id;
      if (!approvalId) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(approvalId, 'the approval task waits for the Director');
    assert.equal((await runCli(['approve', approvalId!, '--token-file', tokenFile], env)).code, 0);
    const watched = await runCli(['watch', runId, '--token-file', tokenFile], env);
    assert.equal(watched.code, 0, watched.stdout + watched.stderr);
    assert.match(watched.stdout, new RegExp(`run ${runId} succeeded`));
  });
});
