// `aura images build|list`: builds the worker image and the agents' images locally (no registry), and lists them.
import { parseArgs } from 'node:util';
import { buildAgentImage } from '../../adapters/containers/agent-image-build';
import { createDockerRuntime } from '../../adapters/containers/docker-runtime';
import { listAuraImages } from '../../adapters/containers/list-images';
import { buildWorkerImage } from '../../adapters/containers/worker-image-build';
import { loadConfig } from '../../core/config/config';
import { AuraError } from '../../core/domain/errors';
import { agentNames } from '../../core/workforce/agents/agent-names';
import { agentPreset } from '../../core/workforce/agents/agent-registry';
import { passThrough } from './command-kit';

const usage = `Usage: aura images build [--force] [--image NAME] [--no-git] [--json]
       aura images build --agent NAME [--version V] [--cache DIR] [--force] [--json]
       aura images list [--json]

build           Builds the worker image (default AURA_WORKER_IMAGE, aura/worker:local) from this machine's node,
                git and busybox-static, and imports it into the Docker engine at DOCKER_HOST. Nothing is pulled.
build --agent   Installs a coding agent's npm package (${agentNames.join(', ')}) into the cache
                (default $AURA_HOME/agents; none of its scripts run) and adds it, with bash, on top of the worker
                image as aura/agent-NAME:VERSION. Built once per version. --version takes a version or a tag
                (latest); the default is the version the preset was tested with.
list            Shows the images built here: the worker image and each agent's.
  --force    build again even if the engine has an image built from the same files
  --no-git   leave git out of the worker image
`;

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

async function openEngine() {
  const config = loadConfig();
  const runtime = createDockerRuntime({ dockerHost: config.dockerHost });
  const ping = await runtime.ping();
  if (!ping.ok) throw new AuraError('unavailable', ping.detail);
  return { config, engine: runtime.engine, detail: ping.detail };
}

async function buildCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      force: { type: 'boolean' },
      image: { type: 'string' },
      'no-git': { type: 'boolean' },
      json: { type: 'boolean' },
      agent: { type: 'string' },
      version: { type: 'string' },
      cache: { type: 'string' },
    },
    strict: true,
  });
  if (!values.agent && (values.version || values.cache)) throw new AuraError('invalid_input', '--version and --cache go with --agent NAME.');
  const preset = values.agent === undefined ? null : agentPreset(values.agent);
  const { config, engine, detail } = await openEngine();
  const out = (text: string) => void (values.json ? undefined : process.stdout.write(text));
  if (preset) {
    out(`Building the ${preset.name} image from ${preset.package} on ${config.workerImage} (${detail})...\n`);
    const build = await buildAgentImage(engine, preset, { version: values.version, cacheDir: values.cache ?? config.agentsDir, baseImage: config.workerImage, image: values.image, force: values.force });
    if (values.json) process.stdout.write(JSON.stringify(build, null, 2) + '\n');
    else {
      const what = `${build.package}@${build.version}${build.installed ? ', installed from the npm registry now' : ''}`;
      out(build.upToDate ? `${build.image} is up to date (${build.id.slice(7, 19)}: ${what}).\n` : `Built ${build.image} (${build.id.slice(7, 19)}, ${mb(build.sizeBytes)}: ${what}) in ${(build.durationMs / 1000).toFixed(1)} s.\n`);
      for (const note of build.notes) out(`  note: ${note}\n`);
    }
    return 0;
  }
  const image = values.image ?? config.workerImage;
  out(`Building ${image} from this machine's node, git and busybox (${detail})...\n`);
  const build = await buildWorkerImage(engine, { image, force: values.force, sources: values['no-git'] ? { git: false } : undefined });
  if (values.json) {
    process.stdout.write(JSON.stringify(build, null, 2) + '\n');
    return 0;
  }
  const contents = `node ${build.versions.node}, ${build.versions.git ?? 'no git'}, ${build.versions.busybox.split(' (')[0]}`;
  out(
    build.upToDate
      ? `${image} is up to date (${build.id.slice(7, 19)}: ${contents}).\n`
      : `Built ${image} (${build.id.slice(7, 19)}, ${mb(build.sizeBytes)}: ${contents}) in ${(build.durationMs / 1000).toFixed(1)} s.\n`,
  );
  for (const note of build.notes) out(`  note: ${note}\n`);
  return 0;
}

async function listCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const { engine } = await openEngine();
  const images = await listAuraImages(engine);
  if (values.json) {
    process.stdout.write(JSON.stringify(images, null, 2) + '\n');
    return 0;
  }
  if (!images.length) {
    process.stdout.write('No images built yet: aura images build, then aura images build --agent NAME.\n');
    return 0;
  }
  for (const i of images) {
    const what = i.kind === 'agent' ? `agent ${i.agent} ${i.version ?? ''}` : `worker (node ${i.version ?? '?'})`;
    process.stdout.write(`${(i.tags[0] ?? i.id.slice(7, 19)).padEnd(40)} ${what.padEnd(28)} ${mb(i.sizeBytes).padStart(8)}  ${i.created.toISOString()}\n`);
  }
  return 0;
}

export async function imagesCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'build') return buildCommand(rest);
  if (sub === 'list') return listCommand(rest);
  process.stderr.write(usage);
  return 2;
}

/** `aura images`: parses its own arguments. */
export const { register } = passThrough('images', 'Build the worker image locally (no registry needed)', imagesCommand);
