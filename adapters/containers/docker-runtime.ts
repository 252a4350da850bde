// The ContainerRuntime on a Docker engine (dockerode): runs, sessions, kills by label, engine health.
import type { ContainerRuntime } from '../../core/containers/container-runtime';
import type { Logger } from '../../core/observability/logger';
import { startSession } from './container-session';
import { managedLabel } from './container-spec';
import { createDockerEngine, type DockerEngine, engineError, pingEngine } from './docker-engine';
import { runContainer } from './run-container';
import { createRuntimeContext, killContainer, removeContainer } from './runtime-context';

export interface DockerRuntimeOptions {
  /** DOCKER_HOST (unix:///path or tcp://host:port); default: dockerode's defaults (DOCKER_HOST, then /var/run/docker.sock). */
  dockerHost?: string;
  /** NetworkMode given to `network: 'egress'`; default 'host' (dockerd here runs with --bridge=none). */
  egressNetwork?: string;
  logger?: Logger;
}

export interface DockerRuntime extends ContainerRuntime {
  /** The engine client, for the image build and for tests. */
  readonly engine: DockerEngine;
}

function labelFilters(labels: Record<string, string>): string[] {
  return Object.entries({ ...labels, [managedLabel]: 'true' }).map(([k, v]) => `${k}=${v}`);
}

export function createDockerRuntime(options: DockerRuntimeOptions = {}): DockerRuntime {
  const engine = createDockerEngine(options.dockerHost);
  const ctx = createRuntimeContext(engine, { egressNetwork: options.egressNetwork ?? 'host' }, options.logger);

  const listByLabels = async (labels: Record<string, string>, all: boolean, doing: string) => {
    try {
      return await engine.docker.listContainers({ all, filters: { label: labelFilters(labels) } });
    } catch (error) {
      throw engineError(error, doing, engine.host);
    }
  };

  let engineId: Promise<string> | null = null;
  return {
    engine,
    ping: () => pingEngine(engine),
    engineId() {
      // Asked once per process; a failure is asked again next time.
      engineId ??= engine.docker.info().then(
        (info: { ID?: string }) => {
          if (!info.ID) throw new Error('the engine reported no ID');
          return info.ID;
        },
        (error: unknown) => {
          throw engineError(error, 'reading the engine identity', engine.host);
        },
      );
      engineId.catch(() => (engineId = null));
      return engineId;
    },
    run: (spec) => runContainer(ctx, spec),
    start: (spec) => startSession(ctx, spec),
    async killByLabels(labels) {
      const found = await listByLabels(labels, false, 'listing containers to kill');
      let killed = 0;
      for (const info of found) {
        ctx.live.get(info.Id)?.markKilled();
        if (await killContainer(engine.docker.getContainer(info.Id), engine.host)) killed += 1;
      }
      return killed;
    },
    async listByLabels(labels) {
      const found = await listByLabels(labels, true, 'listing containers');
      return found.map((info) => ({ id: info.Id, labels: info.Labels ?? {}, running: info.State === 'running' }));
    },
    async removeByLabels(labels) {
      const found = await listByLabels(labels, true, 'listing containers to remove');
      for (const info of found) {
        ctx.live.get(info.Id)?.markKilled();
        try {
          await removeContainer(engine.docker.getContainer(info.Id));
        } catch (error) {
          throw engineError(error, `removing container ${info.Id}`, engine.host);
        }
      }
      return found.length;
    },
  };
}
