// What the runtime's operations share: the engine, isolation settings, live containers, and cleanup owed to the engine.
import type Docker from 'dockerode';
import { AuraError } from '../../core/domain/errors';
import type { Logger } from '../../core/observability/logger';
import type { IsolationOptions } from './container-spec';
import { type DockerEngine, engineError, isConnectionError, pingEngine } from './docker-engine';

/** A container this process started and is still watching. */
export interface LiveContainer {
  /** Records that the runtime itself is killing it, so it ends with reason 'killed'. */
  markKilled(): void;
}

export interface RuntimeContext {
  engine: DockerEngine;
  isolation: IsolationOptions;
  logger?: Logger;
  live: Map<string, LiveContainer>;
  /** Containers that could not be removed because the engine went away; removed once it answers. */
  owedRemovals: Set<string>;
  /** Throws AuraError 'unavailable' unless the engine answers; then settles the removals owed to it. */
  ensureEngine(doing: string): Promise<void>;
}

export function createRuntimeContext(engine: DockerEngine, isolation: IsolationOptions, logger?: Logger): RuntimeContext {
  const ctx: RuntimeContext = {
    engine,
    isolation,
    logger,
    live: new Map(),
    owedRemovals: new Set(),
    async ensureEngine(doing) {
      const ping = await pingEngine(engine);
      if (!ping.ok) throw new AuraError('unavailable', `Cannot start ${doing}: ${ping.detail}`, { details: { host: engine.host } });
      for (const id of [...ctx.owedRemovals]) {
        await removeContainer(engine.docker.getContainer(id))
          .then(() => ctx.owedRemovals.delete(id))
          .catch((error: unknown) => logger?.warn({ containerId: id, err: (error as Error).message }, 'could not remove a container left from an engine outage'));
      }
    },
  };
  return ctx;
}

/** Sends SIGKILL; false when it was not running (already ended or gone). */
export async function killContainer(container: Docker.Container, host: string): Promise<boolean> {
  try {
    await container.kill({ signal: 'SIGKILL' });
    return true;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404 || status === 409) return false;
    throw engineError(error, `killing container ${container.id}`, host);
  }
}

/** Force-removes with its anonymous volumes; a container already gone counts as removed. */
export async function removeContainer(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    // 404: already gone. 409: removal already in progress (another caller) — it will be gone.
    if (status === 404 || status === 409) return;
    throw error;
  }
}

/** Removes now, or owes the removal to the engine when it cannot be reached. */
export async function removeOrOwe(ctx: RuntimeContext, container: Docker.Container): Promise<void> {
  try {
    await removeContainer(container);
  } catch (error) {
    if (isConnectionError(error)) ctx.owedRemovals.add(container.id);
    else ctx.logger?.warn({ containerId: container.id, err: (error as Error).message }, 'could not remove container');
  }
}

/** The create call, with a missing image named as what to do about it. */
export async function createContainer(ctx: RuntimeContext, options: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  try {
    return await ctx.engine.docker.createContainer(options);
  } catch (error) {
    const e = engineError(error, `creating a container from ${options.Image}`, ctx.engine.host);
    if (e.code === 'not_found') {
      // An agent's image (aura/agent-NAME:VERSION) is built by its own command.
      const agent = /^aura\/agent-([a-z0-9-]+):/.exec(options.Image ?? '')?.[1];
      const build = agent ? `aura images build --agent ${agent}` : 'aura images build';
      throw new AuraError('not_found', `Image ${options.Image} is not in the Docker engine at ${ctx.engine.host}: build it with \`${build}\``, { cause: error });
    }
    throw e;
  }
}
