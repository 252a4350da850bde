// The real Docker engine the container suites run against (DOCKER_HOST from test/provision/10-docker.sh).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDockerRuntime, type DockerRuntime } from '../../../adapters/containers/docker-runtime';
import { buildWorkerImage, defaultWorkerImage } from '../../../adapters/containers/worker-image-build';
import type { ContainerSpec } from '../../../core/containers/container-runtime';

export function dockerHost(): string {
  const host = process.env.DOCKER_HOST;
  if (!host) throw new Error('DOCKER_HOST is not set: run test/provision/10-docker.sh (run-all.sh and test/suites/containers.sh do)');
  return host;
}

let runtime: DockerRuntime | undefined;
export function testRuntime(): DockerRuntime {
  runtime ??= createDockerRuntime({ dockerHost: dockerHost() });
  return runtime;
}

let imageReady: Promise<string> | undefined;
/** Builds aura/worker:local once per process (a no-op when the engine already has it from the same files). */
export function ensureWorkerImage(): Promise<string> {
  imageReady ??= buildWorkerImage(testRuntime().engine).then((b) => b.image);
  return imageReady;
}

/** Labels unique to one test, so its containers can be found (and only its). */
export function testLabels(employee = 'e-test'): Record<string, string> {
  return { 'aura.run': `r-${randomBytes(4).toString('hex')}`, 'aura.task': `t-${randomBytes(4).toString('hex')}`, 'aura.employee': employee };
}

export function spec(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return { image: defaultWorkerImage, command: ['true'], network: 'none', memoryMb: 128, cpus: 1, pids: 64, timeoutMs: 20_000, labels: testLabels(), ...overrides };
}

/** A host folder the container's user (65534) can write, as a task's worktree would be. */
export function workspaceDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ws-'));
  fs.chownSync(dir, 65534, 65534);
  return dir;
}

/** The ids of containers (any state) carrying all these labels. */
export async function containersWith(labels: Record<string, string>): Promise<string[]> {
  const list = await testRuntime().engine.docker.listContainers({ all: true, filters: { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) } });
  return list.map((c) => c.Id);
}

export async function exists(containerId: string): Promise<boolean> {
  try {
    await testRuntime().engine.docker.getContainer(containerId).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** Resolves once `predicate` holds (polled every 20 ms), or fails after `ms`. */
export async function eventually(predicate: () => Promise<boolean> | boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
