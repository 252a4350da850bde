// `aura images build`: the worker image built locally from this machine's node, git and busybox, and it runs node.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testRuntime } from './support/engine';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const image = `aura/worker:test-${process.pid}`;

async function aura(...args: string[]) {
  return run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'mcp-server/cli/main.ts'), ...args], { env: process.env, cwd: root });
}

describe('aura images build', function () {
  this.timeout(120_000);
  after(async () => {
    await testRuntime().engine.docker.getImage(image).remove({ force: true }).catch(() => undefined);
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
