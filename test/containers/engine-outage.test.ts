// The engine unreachable or stopped mid-run: ping says why, nothing runs unisolated, work resumes when it is back.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDockerRuntime, type DockerRuntime } from '../../adapters/containers/docker-runtime';
import { loadConfig } from '../../core/config/config';
import { AuraError } from '../../core/domain/errors';
import { createLogger } from '../../core/observability/logger';
import { checkReadiness } from '../../core/observability/readiness';
import { openCore } from '../../mcp-server/app/open-core';
import { createPgDatabase } from '../support/stores';
import { containersWith, dockerHost, ensureWorkerImage, spec, testLabels } from './support/engine';
import { createEngineProxy, type EngineProxy } from './support/engine-proxy';
import { createSecondEngine, importBusyboxImage, type SecondEngine } from './support/second-engine';

const isUnavailable = (e: unknown) => AuraError.is(e, 'unavailable') && e.retryable;

/** The server's composition root on a fresh PostgreSQL database, with the given DOCKER_HOST. */
async function openTestCore(host: string) {
  const db = await createPgDatabase();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ready-'));
  const core = await openCore({ config: loadConfig({ AURA_HOME: home, DATABASE_URL: db.url, DOCKER_HOST: host }), logger: createLogger({ service: 'test', level: 'silent' }) });
  return {
    readiness: core.readiness,
    async close() {
      await core.store.close();
      await db.drop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

describe('Docker runtime: engine outages', function () {
  this.timeout(90_000);

  describe('with DOCKER_HOST pointing at a dead socket', () => {
    const dead = `unix://${path.join(os.tmpdir(), `aura-no-engine-${randomBytes(4).toString('hex')}.sock`)}`;
    const runtime = createDockerRuntime({ dockerHost: dead });

    it('ping() says quickly that the engine is unreachable and why', async () => {
      const started = Date.now();
      const ping = await runtime.ping();
      assert.equal(ping.ok, false);
      assert.match(ping.detail, /unreachable/);
      assert.match(ping.detail, /start dockerd or set DOCKER_HOST/);
      assert.ok(Date.now() - started < 1_000);
    });

    it("run() and start() throw a retryable 'unavailable' and run nothing", async () => {
      await assert.rejects(runtime.run(spec()), isUnavailable);
      const { command: _c, ...session } = spec();
      await assert.rejects(runtime.start(session), isUnavailable);
    });

    it('/ready reports the engine as the reason while the server still opens', async () => {
      const core = await openTestCore(dead);
      try {
        const report = await checkReadiness(core.readiness);
        assert.equal(report.ready, false);
        assert.equal(report.checks.database!.ok, true);
        assert.equal(report.checks['container-engine']!.ok, false);
        assert.match(report.checks['container-engine']!.detail, /unreachable.*Tasks wait until it answers/);
        assert.equal(report.checks['worker-image']!.ok, false);
      } finally {
        await core.close();
      }
    });
  });

  it('/ready reports the engine and the worker image when both are there', async () => {
    await ensureWorkerImage();
    const core = await openTestCore(dockerHost());
    try {
      const report = await checkReadiness(core.readiness);
      assert.equal(report.checks['container-engine']!.ok, true, report.checks['container-engine']!.detail);
      assert.match(report.checks['container-engine']!.detail, /^Docker \S+ \(API/);
      assert.equal(report.checks['worker-image']!.ok, true, report.checks['worker-image']!.detail);
      assert.match(report.checks['worker-image']!.detail, /aura\/worker:local \(v\d+/);
    } finally {
      await core.close();
    }
  });

  describe('with the engine unreachable mid-run and reachable again', () => {
    let proxy: EngineProxy;
    let runtime: DockerRuntime;
    before(async () => {
      await ensureWorkerImage();
      proxy = await createEngineProxy(dockerHost().replace(/^unix:\/\//, ''));
      runtime = createDockerRuntime({ dockerHost: proxy.host });
    });
    after(async () => {
      await proxy?.cut();
    });

    it("fails the running work as 'unavailable', refuses work while unreachable, runs again once reachable, and removes what was lost", async () => {
      const labels = testLabels('e-outage');
      const lost = await runtime.run(spec({ labels, command: ['sleep', '60'] }));
      await proxy.cut();
      await assert.rejects(lost.result, (e: unknown) => isUnavailable(e) && /work is lost/.test((e as Error).message));
      assert.equal((await runtime.ping()).ok, false);
      await assert.rejects(runtime.run(spec({ command: ['echo', 'too early'] })), isUnavailable);

      await proxy.restore();
      assert.equal((await runtime.ping()).ok, true);
      const again = await (await runtime.run(spec({ command: ['echo', 'back'] }))).result;
      assert.deepEqual({ stdout: again.stdout, exitCode: again.exitCode, reason: again.reason }, { stdout: 'back\n', exitCode: 0, reason: 'exited' });
      // The container whose watch was lost (still running on the engine) was removed once the engine answered again.
      assert.deepEqual(await containersWith(labels), []);
    });
  });

  describe('with an engine stopped mid-run and started again', () => {
    let engine: SecondEngine;
    let runtime: DockerRuntime;
    const image = 'aura/busybox-test:local';
    before(async () => {
      engine = createSecondEngine();
      await engine.start();
      await importBusyboxImage(engine.host, image);
      runtime = createDockerRuntime({ dockerHost: engine.host });
    });
    after(async () => {
      await engine?.destroy();
    });

    const leftWith = async (labels: Record<string, string>) =>
      runtime.engine.docker.listContainers({ all: true, filters: { label: [`aura.task=${labels['aura.task']}`] } });

    it('an engine stopped gracefully kills its containers: the work ends as killed or unavailable, never as a normal exit', async () => {
      const labels = testLabels('e-outage');
      const lost = await runtime.run(spec({ image, labels, command: ['sleep', '60'] }));
      await engine.stop();
      const outcome = await lost.result.then(
        (r) => r.reason,
        (e: unknown) => (isUnavailable(e) ? 'unavailable' : e),
      );
      assert.ok(outcome === 'killed' || outcome === 'unavailable', `ended as ${String(outcome)}`);
      await engine.start();
      await (await runtime.run(spec({ image, command: ['true'] }))).result;
      assert.deepEqual(await leftWith(labels), []);
    });
  });
});
