// Builds an agent's image (aura/agent-NAME:VERSION): its npm package added on top of the worker image, no registry of images.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AuraError } from '../../core/domain/errors';
import { agentImage } from '../../core/workforce/agents/agent-registry';
import type { AgentPreset } from '../../core/workforce/agents/agent-preset';
import { installAgentPackage, resolveAgentVersion } from './agent-package';
import { type DockerEngine, engineError } from './docker-engine';
import { createTarStream } from './tar-writer';
import { buildWorkerImage, inspectImage, splitImageName } from './worker-image-build';
import { isElf, RootfsCollector, sharedLibraries } from './worker-image-rootfs';

const fingerprintLabel = 'aura.image.fingerprint';
/** Bumped when what goes into an agent image changes, so images built by an older builder are rebuilt. */
const BUILDER = 'agent-image/1';

export interface BuildAgentImageOptions {
  /** An exact version, a dist-tag (`latest`), or the preset's tested version by default. */
  version?: string;
  /** Where npm packages are installed before they are added (Config.agentsDir). */
  cacheDir: string;
  /** The worker image underneath (built first when missing or out of date). */
  baseImage: string;
  image?: string;
  force?: boolean;
}

export interface AgentImageBuild {
  agent: string;
  package: string;
  version: string;
  image: string;
  id: string;
  baseImage: string;
  upToDate: boolean;
  /** Whether npm installed the package now (false: the cache had it). */
  installed: boolean;
  sizeBytes: number;
  durationMs: number;
  notes: string[];
}

/** Where the agent's node_modules sit inside the image. */
export function agentHome(preset: AgentPreset): string {
  return `opt/aura/agents/${preset.name}`;
}

/** Adds a host tree under `imageRoot`, keeping symbolic links as they are (npm's .bin links are relative). */
function addTree(c: RootfsCollector, hostRoot: string, imageRoot: string): Array<{ host: string; mode: number }> {
  const executables: Array<{ host: string; mode: number }> = [];
  const walk = (hostDir: string, rel: string) => {
    c.dir(rel, fs.statSync(hostDir).mode & 0o7777);
    for (const name of fs.readdirSync(hostDir).sort()) {
      const host = path.join(hostDir, name);
      const inImage = `${rel}/${name}`;
      const stat = fs.lstatSync(host);
      if (stat.isSymbolicLink()) c.symlink(inImage, fs.readlinkSync(host));
      else if (stat.isDirectory()) walk(host, inImage);
      else if (stat.isFile()) {
        c.entries.set(inImage, { type: 'file', path: inImage, mode: stat.mode & 0o7777, size: stat.size, source: host, ino: `${stat.dev}:${stat.ino}`, mtimeMs: stat.mtimeMs });
        if (stat.mode & 0o111) executables.push({ host, mode: stat.mode });
      }
    }
  };
  walk(hostRoot, imageRoot);
  return executables;
}

async function collectAgentLayer(preset: AgentPreset, installDir: string, notes: string[]): Promise<RootfsCollector> {
  const c = new RootfsCollector();
  const home = agentHome(preset);
  const executables = addTree(c, path.join(installDir, 'node_modules'), `${home}/node_modules`);
  // Native binaries in the package load libraries of their own; the worker image has only node's and git's.
  for (const e of executables) {
    if (!(await isElf(e.host))) continue;
    const libs = await sharedLibraries(e.host);
    if (libs === null) notes.push(`${path.relative(installDir, e.host)}: a library it loads is missing on this host`);
    else for (const lib of libs) c.host(lib);
  }
  c.symlink(`usr/local/bin/${preset.bin.name}`, `/${home}/node_modules/${preset.bin.path}`);
  // The agents' shell tools run `bash -c`; busybox has no bash.
  if (!fs.existsSync('/bin/bash') || !(await c.binary('/bin/bash'))) notes.push('bash left out: /bin/bash or a library of it is missing on the host; the agent may not run shell commands');
  for (const [file, content] of Object.entries(preset.imageFiles)) c.content(file.replace(/^\/+/, ''), content);
  return c;
}

function fingerprintOf(preset: AgentPreset, version: string, baseId: string): string {
  const h = createHash('sha256');
  h.update(`${BUILDER}\n${preset.package}@${version}\n${preset.bin.path}\n${baseId}\n${JSON.stringify(preset.imageFiles)}\n`);
  return h.digest('hex').slice(0, 32);
}

/** Builds (or finds up to date) the image of one agent at one version. */
export async function buildAgentImage(engine: DockerEngine, preset: AgentPreset, options: BuildAgentImageOptions): Promise<AgentImageBuild> {
  const started = Date.now();
  const version = await resolveAgentVersion(preset, options.version);
  const image = options.image ?? agentImage(preset, version);
  const base = await buildWorkerImage(engine, { image: options.baseImage });
  const install = await installAgentPackage(preset, version, options.cacheDir);
  const fingerprint = fingerprintOf(preset, version, base.id);
  const notes = [...base.notes];
  const done = (id: string, sizeBytes: number, upToDate: boolean): AgentImageBuild => ({
    agent: preset.name, package: preset.package, version, image, id, baseImage: options.baseImage, upToDate, installed: install.installed, sizeBytes, durationMs: Date.now() - started, notes,
  });
  const existing = await inspectImage(engine, image);
  if (!options.force && existing?.Config?.Labels?.[fingerprintLabel] === fingerprint) return done(existing.Id, existing.Size ?? 0, true);

  const layer = await collectAgentLayer(preset, install.dir, notes);
  const { repo, tag } = splitImageName(image);
  const changes = [
    `CMD ["${preset.bin.name}", "--version"]`,
    'LABEL aura.image=agent',
    `LABEL aura.agent=${preset.name}`,
    `LABEL aura.agent.package=${preset.package}`,
    `LABEL aura.agent.version=${version}`,
    `LABEL aura.image.base=${options.baseImage}`,
    `LABEL ${fingerprintLabel}=${fingerprint}`,
  ];
  let container: { id: string; remove(o: object): Promise<unknown> } | undefined;
  const tar = createTarStream(layer.list());
  try {
    // The layer is written into a created (never started) container of the worker image, then committed.
    const created = await engine.docker.createContainer({ Image: options.baseImage, name: `aura-agent-build-${preset.name}-${randomBytes(4).toString('hex')}`, Cmd: ['true'], NetworkDisabled: true });
    container = created;
    await created.putArchive(tar, { path: '/' });
    await created.commit({ repo, tag, changes, comment: `${preset.package}@${version} on ${options.baseImage}` } as unknown as Record<string, unknown>);
  } catch (error) {
    throw engineError(error, `building ${image}`, engine.host);
  } finally {
    tar.destroy();
    await container?.remove({ force: true }).catch(() => undefined);
  }
  const built = await inspectImage(engine, image);
  if (!built || built.Config?.Labels?.[fingerprintLabel] !== fingerprint) throw new AuraError('internal', `the engine did not tag the committed image as ${image}`);
  return done(built.Id, built.Size ?? 0, false);
}
