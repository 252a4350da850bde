// Readiness checks for /ready: the Docker engine answers, and it holds the worker image.
import type { ReadinessCheck } from '../../core/observability/readiness';
import type { DockerRuntime } from './docker-runtime';
import { inspectImage } from './worker-image-build';

export function containerReadinessChecks(runtime: DockerRuntime, workerImage: string): ReadinessCheck[] {
  return [
    {
      name: 'container-engine',
      check: async () => {
        const ping = await runtime.ping();
        return ping.ok ? ping : { ok: false, detail: `${ping.detail}. Tasks wait until it answers; none runs outside a container.` };
      },
    },
    {
      name: 'worker-image',
      check: async () => {
        const ping = await runtime.ping();
        if (!ping.ok) return { ok: false, detail: 'unknown while the Docker engine is unreachable' };
        const image = await inspectImage(runtime.engine, workerImage);
        return image
          ? { ok: true, detail: `${workerImage} (${image.Config?.Labels?.['aura.image.node'] ?? 'node ?'}, ${image.Config?.Labels?.['aura.image.git'] ?? 'git ?'})` }
          : { ok: false, detail: `${workerImage} is not in the engine: run \`aura images build\`` };
      },
    },
  ];
}
