// `aura images build`: the worker image built locally from this machine's node, git and busybox, and it runs node.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { childEnv, servePorts, startServe } from '../support/cli';
import { testRuntime } from './support/engine';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const image = `aura/worker:test-${process.pid}`;

async function aura(...args: string[]) {
  return run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'mcp-server/cli/main.ts'), ...args], { env: process.env, cwd: root });
}

describe('aura images build', function () {
  this.timeout(120_000);
  const autobuilt = `aura/worker:test-autobuild-${process.pid}`;
  after(async () => {
    for (const name of [image, autobuilt]) await testRuntime().engine.docker.getImage(name).remove({ force: true }).catch(() => undefined);
  });

  it('is run by aura serve itself when the engine answers and has no worker image, with progress in its output', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-autobuild-'));
    const serve = await startServe(childEnv({ AURA_HOME: home, ...(await servePorts()), DOCKER_HOST: process.env.DOCKER_HOST, AURA_WORKER_IMAGE: autobuilt }));
    try {
      const until = Date.now() + 100_000;
      while (!/worker image \S+ (built|could not be built)/.test(serve.output()) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      const out = serve.output();
      assert.match(out, new RegExp(`Containers .*building the worker image ${autobuilt.replace(/[/:.]/g, '.')} from this machine's node, git and busybox`));
      assert.match(out, /worker image: (0|25|50|75)% of \d+ MB sent to the engine/);
      assert.match(out, new RegExp(`worker image ${autobuilt.replace(/[/:.]/g, '.')} built in [\\d.]+ s`));
      const info = await testRuntime().engine.docker.getImage(autobuilt).inspect();
      assert.equal(info.Config.User, '65534:65534');
    } finally {
      assert.equal(await serve.stop('SIGTERM'), 0);
    }
    // Started again, it finds the image and builds nothing.
    const again = await startServe(childEnv({ AURA_HOME: home, ...(await servePorts()), DOCKER_HOST: process.env.DOCKER_HOST, AURA_WORKER_IMAGE: autobuilt }));
    try {
      const until = Date.now() + 20_000;
      while (!/Containers /.test(again.output()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      assert.match(again.output(), new RegExp(`Containers .*worker image ${autobuilt.replace(/[/:.]/g, '.')} is ready`));
    } finally {
      assert.equal(await again.stop('SIGTERM'), 0);
    }
  });

  it('builds an image that runs node as the unprivileged user, then finds it up to date', async () => {
    const first = await aura('images', 'build', '--image', image, '--json');
    const build = JSON.parse(first.stdout) as { image: string; upToDate: boolean; versions: { node: string; git: string | null } };
    assert.equal(build.image, image);
    assert.equal(build.upToDate, false);
    assert.equal(build.versions.node, process.version);
    assert.match(build.versions.git ?? '', /^git version/);

    const h = await testRuntime().run({ image, command: ['node', '-e', 'console.log(process.version, process.getuid())'], network: 'none', memoryMb: 256, cpus: 1, pids: 64, timeoutMs: 20_000 });
    const r = await h.result;
    assert.equal(r.stdout, `${process.version} 65534\n`);

    const info = await testRuntime().engine.docker.getImage(image).inspect();
    assert.equal(info.Config.User, '65534:65534');
    assert.deepEqual(info.Config.Cmd, ['/usr/bin/node']);

    const second = await aura('images', 'build', '--image', image);
    assert.match(second.stdout, new RegExp(`${image.replace(/[/:]/g, '.')} is up to date`));
  });
});
