// Builds the worker image locally (no registry): imports the gathered root filesystem into the engine.
import { Transform } from 'node:stream';
import { AuraError } from '../../core/domain/errors';
import { type DockerEngine, engineError } from './docker-engine';
import { createTarStream } from './tar-writer';
import { collectWorkerRootfs, type RootfsSources, workerUser } from './worker-image-rootfs';

export const defaultWorkerImage = 'aura/worker:local';
const fingerprintLabel = 'aura.image.fingerprint';

export interface BuildWorkerImageOptions {
  image?: string;
  /** Import even when the engine already has an image built from the same files. */
  force?: boolean;
  sources?: RootfsSources;
  /** Called as the build goes: gathering the host's files, then bytes of the root filesystem sent to the engine. */
  onProgress?: (progress: { phase: 'gathering' | 'importing'; sentBytes: number; totalBytes: number }) => void;
}

export interface WorkerImageBuild {
  image: string;
  id: string;
  /** True when the engine already had this exact image and nothing was imported. */
  upToDate: boolean;
  fingerprint: string;
  sizeBytes: number;
  durationMs: number;
  versions: { node: string; git: string | null; busybox: string };
  notes: string[];
}

/** Splits `repo[:tag]` (a registry host may carry a port: `host:5000/repo:tag`). */
export function splitImageName(image: string): { repo: string; tag: string } {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? { repo: image.slice(0, colon), tag: image.slice(colon + 1) } : { repo: image, tag: 'latest' };
}

/** The image's configuration, as Dockerfile instructions the import applies. */
function imageChanges(fingerprint: string, versions: WorkerImageBuild['versions']): string[] {
  return [
    `USER ${workerUser}`,
    'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    'ENV HOME=/tmp',
    'WORKDIR /workspace',
    'CMD ["/usr/bin/node"]',
    'LABEL aura.image=worker',
    `LABEL ${fingerprintLabel}=${fingerprint}`,
    `LABEL aura.image.node=${versions.node}`,
    `LABEL aura.image.git=${JSON.stringify(versions.git ?? 'none')}`,
  ];
}

/** Imports a root filesystem (a tar stream) as `image`, applying Dockerfile-style `changes` (USER, ENV, CMD, LABEL...). */
export async function importRootfs(engine: DockerEngine, stream: NodeJS.ReadableStream, image: string, changes: string[]): Promise<void> {
  const { repo, tag } = splitImageName(image);
  try {
    const progress = await engine.docker.importImage(stream, { repo, tag, changes } as unknown as Record<string, unknown>);
    await new Promise<void>((resolve, reject) => {
      engine.docker.modem.followProgress(progress, (error: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failed = output?.find((o) => o.error);
        if (error) reject(error);
        else if (failed) reject(new AuraError('internal', `importing ${image}: ${failed.errorDetail?.message ?? failed.error}`));
        else resolve();
      });
    });
  } catch (error) {
    throw engineError(error, `importing ${image}`, engine.host);
  }
}

/** Builds `image` (default aura/worker:local) from the host's node, git and busybox; skips when already current. */
export async function buildWorkerImage(engine: DockerEngine, options: BuildWorkerImageOptions = {}): Promise<WorkerImageBuild> {
  const started = Date.now();
  const image = options.image ?? defaultWorkerImage;
  options.onProgress?.({ phase: 'gathering', sentBytes: 0, totalBytes: 0 });
  const rootfs = await collectWorkerRootfs(options.sources);
  const done = (id: string, upToDate: boolean): WorkerImageBuild => ({
    image,
    id,
    upToDate,
    fingerprint: rootfs.fingerprint,
    sizeBytes: rootfs.sizeBytes,
    durationMs: Date.now() - started,
    versions: rootfs.versions,
    notes: rootfs.notes,
  });
  const existing = await inspectImage(engine, image);
  if (!options.force && existing?.Config?.Labels?.[fingerprintLabel] === rootfs.fingerprint) return done(existing.Id, true);

  const tar = createTarStream(rootfs.entries);
  let sent = 0;
  // Counts what the engine has been sent; a pass-through, so the import reads the archive exactly as before.
  const counted = tar.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        options.onProgress?.({ phase: 'importing', sentBytes: sent, totalBytes: rootfs.sizeBytes });
        callback(null, chunk);
      },
    }),
  );
  try {
    await importRootfs(engine, counted, image, imageChanges(rootfs.fingerprint, rootfs.versions));
  } finally {
    tar.destroy();
    counted.destroy();
  }
  const built = await inspectImage(engine, image);
  if (!built || built.Config?.Labels?.[fingerprintLabel] !== rootfs.fingerprint) {
    throw new AuraError('internal', `the engine did not tag the imported image as ${image}`);
  }
  return done(built.Id, false);
}

interface ImageInfo {
  Id: string;
  Size?: number;
  Config?: { Labels?: Record<string, string> | null; User?: string };
}

/** The image's description, or null when the engine does not have it. */
export async function inspectImage(engine: DockerEngine, image: string): Promise<ImageInfo | null> {
  try {
    return (await engine.docker.getImage(image).inspect()) as ImageInfo;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw engineError(error, `inspecting image ${image}`, engine.host);
  }
}
