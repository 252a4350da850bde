// What `aura serve` does about containers as it starts: says whether an engine answers (and how to get one when none
// does), and builds the worker image in the background when the engine answers and does not have it.
import { AuraError, toAuraError } from '../../core/domain/errors';
import type { Logger } from '../../core/observability/logger';
import { createDockerRuntime } from './docker-runtime';
import { buildWorkerImage, inspectImage } from './worker-image-build';

export interface WorkerImageOnStartOptions {
  dockerHost?: string;
  image: string;
  /** Build the image when it is missing (AURA_BUILD_IMAGE_ON_START). */
  build: boolean;
  logger: Logger;
  /** Writes one line for the person who started the server. */
  say(line: string): void;
}

export interface ContainersAtStart {
  /** The banner's line about containers. */
  banner: string;
  /** Settles when a background build ends (at once when there is none); never rejects. */
  built: Promise<'built' | 'present' | 'no-engine' | 'failed' | 'not-built'>;
}

/** The exact commands that give this machine a Docker engine and what the worker image is built from. */
export const engineFixHint = 'sudo apt-get install -y docker.io busybox-static && sudo systemctl start docker (or set DOCKER_HOST to an engine)';

export async function prepareContainersAtStart(options: WorkerImageOnStartOptions): Promise<ContainersAtStart> {
  const runtime = createDockerRuntime({ dockerHost: options.dockerHost });
  const ping = await runtime.ping();
  if (!ping.ok) {
    return { banner: `no Docker engine answers (${ping.detail}): tasks wait until one does. Fix: ${engineFixHint}`, built: Promise.resolve('no-engine') };
  }
  const present = await inspectImage(runtime.engine, options.image).catch(() => null);
  if (present) return { banner: `${ping.detail}; worker image ${options.image} is ready`, built: Promise.resolve('present') };
  if (!options.build) {
    return { banner: `${ping.detail}; worker image ${options.image} is missing: tasks wait until \`aura images build\` builds it`, built: Promise.resolve('not-built') };
  }
  const built = buildInBackground(runtime.engine, options);
  return { banner: `${ping.detail}; building the worker image ${options.image} from this machine's node, git and busybox (first start)…`, built };
}

async function buildInBackground(engine: Parameters<typeof buildWorkerImage>[0], options: WorkerImageOnStartOptions): Promise<'built' | 'failed'> {
  let shownPercent = -1;
  try {
    const build = await buildWorkerImage(engine, {
      image: options.image,
      onProgress: (p) => {
        if (p.phase !== 'importing' || !p.totalBytes) return;
        const percent = Math.min(100, Math.floor((p.sentBytes / p.totalBytes) * 100));
        // A line every quarter: enough to see it move, not a flood in a log file.
        if (percent >= shownPercent + 25) {
          shownPercent = percent - (percent % 25);
          options.say(`  worker image: ${shownPercent}% of ${(p.totalBytes / 1e6).toFixed(0)} MB sent to the engine`);
        }
      },
    });
    options.say(`  worker image ${options.image} built in ${(build.durationMs / 1000).toFixed(1)} s (${(build.sizeBytes / 1e6).toFixed(0)} MB); tasks can run`);
    options.logger.info({ image: options.image, durationMs: build.durationMs }, 'worker image built');
    return 'built';
  } catch (error) {
    const e = toAuraError(error);
    const fix = AuraError.is(error, 'config') ? '' : ' Run `aura images build` to see the whole error.';
    options.say(`  worker image ${options.image} could not be built: ${e.message}.${fix} Tasks wait until it exists.`);
    options.logger.warn({ image: options.image, err: e.message }, 'worker image build failed');
    return 'failed';
  }
}
