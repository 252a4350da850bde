// A second dockerd of the test's own (socket, data and exec roots under $AURA_TEST_STATE), to stop and start mid-run.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDockerEngine, pingEngine } from '../../../adapters/containers/docker-engine';
import { createTarStream, type TarEntry } from '../../../adapters/containers/tar-writer';
import { importRootfs } from '../../../adapters/containers/worker-image-build';

export interface SecondEngine {
  host: string;
  start(): Promise<void>;
  /** SIGTERM, as `systemctl stop docker` does; resolves once dockerd has exited. */
  stop(): Promise<void>;
  /** SIGKILL to dockerd alone, as a crash: its containerd and the containers live on. */
  crash(): Promise<void>;
  /** Stops it (if running) and deletes its folders. */
  destroy(): Promise<void>;
}

export function createSecondEngine(): SecondEngine {
  const state = process.env.AURA_TEST_STATE ?? path.resolve('.test-cache');
  const root = path.join(state, `docker-2-${randomBytes(3).toString('hex')}`);
  const sock = path.join(root, 'd.sock');
  const host = `unix://${sock}`;
  const logs = path.join(state, 'logs');
  let child: ChildProcess | undefined;
  let groupLeader: number | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    fs.mkdirSync(path.join(root, 'data'), { recursive: true });
    fs.mkdirSync(path.join(root, 'exec'), { recursive: true });
    fs.mkdirSync(logs, { recursive: true });
    const log = fs.openSync(path.join(logs, `${path.basename(root)}.log`), 'a');
    child = spawn(
      fs.existsSync('/usr/sbin/dockerd') ? '/usr/sbin/dockerd' : 'dockerd',
      ['--data-root', path.join(root, 'data'), '--exec-root', path.join(root, 'exec'), '--pidfile', path.join(root, 'dockerd.pid'), '-H', host,
        '--storage-driver=overlay2', '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--bridge=none', '--userland-proxy=false'],
      { detached: true, stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    const proc = child;
    groupLeader ??= proc.pid;
    // Should this process die before `destroy`, test/provision/stop-daemons.sh stops the group.
    fs.appendFileSync(path.join(state, 'daemons.pgids'), `${proc.pid} dockerd-second\n`);
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const engine = createDockerEngine(host);
    const deadline = Date.now() + 20_000;
    while (!(await pingEngine(engine, 500)).ok) {
      if (proc.exitCode !== null) throw new Error(`the second dockerd exited (${proc.exitCode}); see ${logs}`);
      if (Date.now() > deadline) throw new Error('the second dockerd did not answer within 20 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const pid = child.pid!;
    // dockerd alone: it stops its containers, then the containerd it started.
    process.kill(pid, 'SIGTERM');
    const killer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
    try {
      process.kill(-pid, 'SIGKILL'); // whatever of its process group is left
    } catch {
      // the group is already empty
    }
    child = undefined;
  };

  const crash = async () => {
    if (!child || child.exitCode !== null) return;
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    child = undefined;
  };

  return {
    host,
    start,
    stop,
    crash,
    async destroy() {
      await stop();
      if (groupLeader) {
        try {
          process.kill(-groupLeader, 'SIGKILL'); // a containerd that outlived a crashed dockerd
        } catch {
          // the group is already empty
        }
      }
      // dockerd mounts inside its data root; a daemon that died without cleaning up leaves them behind.
      const mounts = fs.readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(root));
      for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A 2 MB image: busybox-static and its applets; enough for sh, sleep and echo. */
export async function importBusyboxImage(host: string, image: string): Promise<void> {
  const entries: TarEntry[] = [
    { type: 'dir', path: 'usr', mode: 0o755 },
    { type: 'dir', path: 'usr/bin', mode: 0o755 },
    { type: 'symlink', path: 'bin', target: 'usr/bin' },
    { type: 'file', path: 'usr/bin/busybox', mode: 0o755, size: fs.statSync('/bin/busybox').size, source: '/bin/busybox' },
    ...['sh', 'sleep', 'echo', 'cat', 'id', 'true'].map((a): TarEntry => ({ type: 'symlink', path: `usr/bin/${a}`, target: 'busybox' })),
    { type: 'dir', path: 'tmp', mode: 0o1777 },
  ];
  await importRootfs(createDockerEngine(host), createTarStream(entries), image, ['USER 65534:65534', 'ENV PATH=/usr/bin']);
}
