// `aura images build [--force] [--image NAME] [--json]`: builds the worker image locally, with no registry.
import { parseArgs } from 'node:util';
import { createDockerRuntime } from '../../adapters/containers/docker-runtime';
import { buildWorkerImage } from '../../adapters/containers/worker-image-build';
import { loadConfig } from '../../core/config/config';
import { AuraError } from '../../core/domain/errors';

const usage = `Usage: aura images build [--force] [--image NAME] [--no-git] [--json]

Builds the worker image (default AURA_WORKER_IMAGE, aura/worker:local) from this machine's node,
git and busybox-static, and imports it into the Docker engine at DOCKER_HOST. Nothing is pulled.
  --force    import again even if the engine has an image built from the same files
  --no-git   leave git out of the image
`;

export async function imagesCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'build') {
    process.stderr.write(usage);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { force: { type: 'boolean' }, image: { type: 'string' }, 'no-git': { type: 'boolean' }, json: { type: 'boolean' } },
    strict: true,
  });
  const config = loadConfig();
  const runtime = createDockerRuntime({ dockerHost: config.dockerHost });
  const ping = await runtime.ping();
  if (!ping.ok) throw new AuraError('unavailable', ping.detail);
  const image = values.image ?? config.workerImage;
  if (!values.json) process.stdout.write(`Building ${image} from this machine's node, git and busybox (${ping.detail})...\n`);
  const build = await buildWorkerImage(runtime.engine, { image, force: values.force, sources: values['no-git'] ? { git: false } : undefined });
  if (values.json) {
    process.stdout.write(JSON.stringify(build, null, 2) + '\n');
    return 0;
  }
  const mb = (build.sizeBytes / 1e6).toFixed(0);
  const contents = `node ${build.versions.node}, ${build.versions.git ?? 'no git'}, ${build.versions.busybox.split(' (')[0]}`;
  process.stdout.write(
    build.upToDate
      ? `${image} is up to date (${build.id.slice(7, 19)}: ${contents}).\n`
      : `Built ${image} (${build.id.slice(7, 19)}, ${mb} MB: ${contents}) in ${(build.durationMs / 1000).toFixed(1)} s.\n`,
  );
  for (const note of build.notes) process.stdout.write(`  note: ${note}\n`);
  return 0;
}
