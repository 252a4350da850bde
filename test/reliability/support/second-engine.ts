// A second Docker engine on this machine for the scale-out test, standing in for another machine's: Debian's dockerd
// in a network namespace of its own (loopback only), with its own data, socket and images. Detached (setsid, logs
// to a file), recorded in daemons.pgids so the test command stops it even if the test dies, and stopped by the test.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDockerRuntime, type DockerRuntime } from '../../../adapters/containers/docker-runtime';

export interface SecondEngine {
  host: string;
  runtime: DockerRuntime;
  logFile: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSecondEngine(): Promise<SecondEngine> {
  const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => fs.existsSync(p));
  if (!dockerd) throw new Error('the scale-out test needs dockerd (Debian docker.io; test/provision/10-docker.sh installs it)');
  // A short root: the socket path must stay under 108 bytes.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-eng-'));
  const host = `unix://${root}/docker.sock`;
  const state = process.env.AURA_TEST_STATE;
  const logFile = path.join(state ? path.join(state, 'logs') : root, `dockerd-second-${path.basename(root)}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(path.join(root, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': path.join(root, 'key.json') }));
  const log = fs.openSync(logFile, 'a');
  const flags = [
    `--data-root ${root}/data`,
    `--exec-root ${root}/exec`,
    `--pidfile ${root}/dockerd.pid`,
    `-H ${host}`,
    // Its own trust key, so its own engine ID (another machine's engine has one of its own), set in its own config.
    `--config-file ${root}/daemon.json`,
    '--storage-driver=overlay2 --iptables=false --ip6tables=false --ip-masq=false --bridge=none --userland-proxy=false',
  ].join(' ');
  // unshare --net: the engine and its containers see only their own loopback, as on a machine of their own.
  const child: ChildProcess = spawn('unshare', ['--net', 'sh', '-c', `ip link set lo up && exec ${dockerd} ${flags}`], { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const pgid = child.pid!;
  if (state) fs.appendFileSync(path.join(state, 'daemons.pgids'), `${pgid} dockerd-second\n`);
  let exited = false;
  child.once('exit', () => (exited = true));
  const runtime = createDockerRuntime({ dockerHost: host });
  const deadline = Date.now() + 20_000;
  while (!(await runtime.ping().catch(() => ({ ok: false }))).ok) {
    if (exited) throw new Error(`the second dockerd exited while starting; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`the second dockerd did not answer within 20 s; see ${logFile}`);
    await sleep(100);
  }
  return {
    host,
    runtime,
    logFile,
    async stop() {
      try {
        process.kill(-pgid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 100 && !exited; i++) await sleep(100);
      if (!exited) process.kill(-pgid, 'SIGKILL');
      // dockerd unmounted its layers on the way out; what is left is plain files.
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
