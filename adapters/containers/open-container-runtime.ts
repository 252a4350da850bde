// Builds the Docker ContainerRuntime from the process configuration (DOCKER_HOST, egress network, worker image).
import type { Config } from '../../core/config/config';
import type { ReadinessCheck } from '../../core/observability/readiness';
import type { Logger } from '../../core/observability/logger';
import { containerReadinessChecks } from './container-readiness';
import { createDockerRuntime, type DockerRuntime } from './docker-runtime';

export interface OpenedContainerRuntime {
  runtime: DockerRuntime;
  /** The image employees run unless their profile names another (AURA_WORKER_IMAGE). */
  workerImage: string;
  readiness: ReadinessCheck[];
}

export function openContainerRuntime(config: Config, logger?: Logger): OpenedContainerRuntime {
  const runtime = createDockerRuntime({ dockerHost: config.dockerHost, egressNetwork: config.containerEgressNetwork, logger });
  return { runtime, workerImage: config.workerImage, readiness: containerReadinessChecks(runtime, config.workerImage) };
}
