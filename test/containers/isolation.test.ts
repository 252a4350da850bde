// Isolation, proven in real containers: non-root, read-only root, no network, no capabilities, limits that hold.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { AuraError } from '../../core/domain/errors';
import { containersWith, ensureWorkerImage, spec, testLabels, testRuntime, workspaceDir } from './support/engine';

const runToEnd = async (overrides: Parameters<typeof spec>[0]) => (await testRuntime().run(spec(overrides))).result;
const sh = (script: string) => ['sh', '-c', script];

describe('Docker runtime: isolation', function () {
  this.timeout(60_000);
  before(async () => {
    await ensureWorkerImage();
  });

  it('runs as the unprivileged user 65534, not root', async () => {
    const r = await runToEnd({ command: sh('id -u; id -g') });
    assert.equal(r.stdout, '65534\n65534\n');
  });

  it('cannot write the root filesystem, but can write the tmpfs /tmp', async () => {
    const r = await runToEnd({ command: sh('touch /etc/owned 2>&1; echo tmp > /tmp/ok && cat /tmp/ok; grep " /tmp " /proc/mounts') });
    assert.match(r.stdout, /Read-only file system/);
    assert.match(r.stdout, /^tmp$/m);
    assert.match(r.stdout, /^tmpfs \/tmp tmpfs rw,nosuid,nodev/m);
  });

  it('has every capability dropped and no-new-privileges set', async () => {
    const r = await runToEnd({ command: sh('grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status') });
    for (const cap of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) assert.match(r.stdout, new RegExp(`^${cap}:\\s+0000000000000000$`, 'm'));
    assert.match(r.stdout, /^NoNewPrivs:\s+1$/m);
  });

  describe('network', () => {
    let server: net.Server;
    let port: number;
    before(async () => {
      server = net.createServer((socket) => socket.end('hello from the host\n'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    after(() => server.close());
    const connect = () => sh(`node -e 'require("net").connect(${port}, "127.0.0.1").on("data", d => { process.stdout.write(d); process.exit(0) }).on("error", e => { console.log(e.code); process.exit(1) })'`);

    it("has no network but loopback when the spec does not ask for egress", async () => {
      const r = await runToEnd({ command: sh(`cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '; ${connect()[2]}`) });
      assert.equal(r.stdout.split('\n')[0], 'lo');
      assert.equal(r.stdout.split('\n').filter(Boolean).length, 2, r.stdout); // lo, then the failed connection's code
      assert.match(r.stdout, /ECONNREFUSED/);
      assert.equal(r.exitCode, 1);
    });

    it("reaches the host's network when the spec asks for egress", async () => {
      const r = await runToEnd({ command: connect(), network: 'egress' });
      assert.equal(r.stdout, 'hello from the host\n');
      assert.equal(r.exitCode, 0);
    });
  });

  it('is killed by the kernel with reason oom past its memory limit', async () => {
    const r = await runToEnd({ memoryMb: 64, command: ['node', '-e', 'const a = []; for (;;) a.push(Buffer.alloc(8 << 20, 1))'] });
    assert.equal(r.reason, 'oom');
    assert.equal(r.exitCode, 137);
  });

  it('cannot start more processes than its pids limit', async () => {
    const script = `
      const { spawn } = require('child_process');
      let started = 0, refused = 0;
      const kids = [];
      for (let i = 0; i < 40; i++) {
        const c = spawn('sleep', ['5']);
        c.on('spawn', () => started++).on('error', () => refused++);
        kids.push(c);
      }
      setTimeout(() => { console.log(started, refused); for (const k of kids) k.kill('SIGKILL'); process.exit(0); }, 700);`;
    const r = await runToEnd({ pids: 20, command: ['node', '-e', script] });
    const [started, refused] = r.stdout.trim().split(' ').map(Number);
    assert.ok(started! < 20, `started ${started} processes with a limit of 20 (node's own threads count too)`);
    assert.ok(refused! > 0, `no process was refused: ${r.stdout}${r.stderr}`);
  });

  it('applies the memory and CPU limits to its cgroup', async () => {
    const r = await runToEnd({
      memoryMb: 96,
      cpus: 0.5,
      command: sh('cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max'),
    });
    const numbers = r.stdout.split(/\s+/).filter(Boolean).map(Number);
    assert.equal(numbers[0], 96 * 1024 * 1024);
    assert.equal(numbers[1]! / numbers[2]!, 0.5);
  });

  it('sees only the environment the spec gives (plus the image PATH and HOME)', async () => {
    process.env.AURA_TEST_HOST_ONLY = 'must-not-leak';
    try {
      const r = await runToEnd({ env: { EMPLOYEE_TOKEN: 'tok-123', TASK: 'x' }, command: ['node', '-e', 'console.log(JSON.stringify(process.env))'] });
      const env = JSON.parse(r.stdout) as Record<string, string>;
      assert.equal(env.EMPLOYEE_TOKEN, 'tok-123');
      assert.deepEqual(Object.keys(env).sort(), ['EMPLOYEE_TOKEN', 'HOME', 'HOSTNAME', 'PATH', 'TASK']);
    } finally {
      delete process.env.AURA_TEST_HOST_ONLY;
    }
  });

  it('mounts the workspace read-write at /workspace and works there', async () => {
    const dir = workspaceDir();
    try {
      fs.writeFileSync(`${dir}/input.txt`, 'from the host\n');
      const r = await runToEnd({ workspace: dir, command: sh('pwd; cat input.txt; echo from the container > output.txt') });
      assert.equal(r.stdout, '/workspace\nfrom the host\n');
      assert.equal(fs.readFileSync(`${dir}/output.txt`, 'utf8'), 'from the container\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can commit with git inside /workspace', async () => {
    const dir = workspaceDir();
    try {
      const r = await runToEnd({
        workspace: dir,
        env: { GIT_AUTHOR_NAME: 'Worker', GIT_AUTHOR_EMAIL: 'w@aura', GIT_COMMITTER_NAME: 'Worker', GIT_COMMITTER_EMAIL: 'w@aura' },
        command: sh('git init -q -b main . && echo done > result.txt && git add result.txt && git commit -qm "task result" && git log --format=%s'),
      });
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, 'task result\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to run as root, before any container exists', async () => {
    const labels = testLabels();
    await assert.rejects(testRuntime().run(spec({ user: '0:0', labels })), (e: unknown) => AuraError.is(e, 'invalid_input'));
    assert.deepEqual(await containersWith(labels), []);
  });
});
