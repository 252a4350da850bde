// One command in its own new container: create → attach → start → (exit | timeout | kill | OOM) → inspect → remove.
import type Docker from 'dockerode';
import type { ContainerHandle, ContainerResult, ContainerSpec, EndReason } from '../../core/containers/container-runtime';
import { AuraError } from '../../core/domain/errors';
import { wireCommandIo } from './command-io';
import { type ContainerEvents, watchContainerEvents } from './container-events';
import { createOptions, parseRunSpec } from './container-spec';
import { engineError } from './docker-engine';
import { createContainer, killContainer, removeOrOwe, type RuntimeContext } from './runtime-context';

const sigkillExit = 137;

/** A handle for work cancelled before its container started: nothing ran. */
function cancelledBeforeStart(id: string): ContainerHandle {
  const result: ContainerResult = { exitCode: sigkillExit, stdout: '', stderr: '', durationMs: 0, reason: 'killed', truncated: false, containerId: id };
  return { id, result: Promise.resolve(result), kill: async () => undefined };
}

export async function runContainer(ctx: RuntimeContext, input: ContainerSpec): Promise<ContainerHandle> {
  const spec = parseRunSpec(input);
  if (spec.signal?.aborted) return cancelledBeforeStart('');
  await ctx.ensureEngine('a container');
  const { docker, host } = ctx.engine;
  const hasStdin = spec.stdin !== undefined;
  const container = await createContainer(ctx, createOptions(spec, spec.command, ctx.isolation, hasStdin));
  const id = container.id;
  let stream: NodeJS.ReadWriteStream;
  try {
    stream = await container.attach({ stream: true, hijack: true, stdin: hasStdin, stdout: true, stderr: true });
  } catch (error) {
    await removeOrOwe(ctx, container);
    throw engineError(error, `attaching to container ${id}`, host);
  }
  const io = wireCommandIo(docker, stream, { stdin: spec.stdin, redact: spec.redact ?? [], maxOutputBytes: spec.maxOutputBytes, onOutput: spec.onOutput });
  let events: ContainerEvents | undefined;
  try {
    events = await watchContainerEvents(docker, id);
    if (spec.signal?.aborted) {
      events.close();
      await removeOrOwe(ctx, container);
      return cancelledBeforeStart(id);
    }
    await container.start();
  } catch (error) {
    events?.close();
    await removeOrOwe(ctx, container);
    throw engineError(error, `starting container ${id}`, host);
  }
  return watch(ctx, container, spec, io, events, Date.now());
}

function watch(ctx: RuntimeContext, container: Docker.Container, spec: ContainerSpec, io: ReturnType<typeof wireCommandIo>, events: ContainerEvents, startedAt: number): ContainerHandle {
  const id = container.id;
  const { host } = ctx.engine;
  let settled = false;
  let ending: EndReason | undefined; // set by the runtime when it kills: 'killed' or 'timeout'
  const kill = async (why: 'killed' | 'timeout') => {
    if (settled) return;
    ending ??= why;
    if (!(await killContainer(container, host)) && ending === why && why === 'killed') {
      // It was not running: it had ended on its own before the kill arrived.
      ending = undefined;
    }
  };
  const timer = setTimeout(() => void kill('timeout').catch(() => undefined), spec.timeoutMs);
  const onAbort = () => void kill('killed').catch(() => undefined);
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  if (spec.signal?.aborted) onAbort(); // aborted while the container was starting: the listener came too late
  ctx.live.set(id, { markKilled: () => void (ending ??= 'killed') });

  const result = (async (): Promise<ContainerResult> => {
    try {
      await io.ended;
      // The output has ended; `wait` (not-running) then returns once the main process has exited.
      const exit = (await container.wait()) as { StatusCode: number };
      const durationMs = Date.now() - startedAt;
      clearTimeout(timer);
      const state = ((await container.inspect()) as { State: { OOMKilled?: boolean } }).State;
      const output = io.finish();
      // Not ended by this runtime: the kernel (OOM) or someone else (an operator, an engine shutting down) may have.
      const reason: EndReason = ending ?? (state.OOMKilled || events.ooms > 0 ? 'oom' : events.kills > 0 ? 'killed' : 'exited');
      await removeOrOwe(ctx, container);
      return { exitCode: exit.StatusCode, ...output, durationMs, reason, containerId: id };
    } catch (error) {
      clearTimeout(timer);
      await removeOrOwe(ctx, container);
      const e = engineError(error, `watching container ${id}`, host);
      if (e.code === 'unavailable') {
        throw new AuraError('unavailable', `The Docker engine went away while container ${id} ran; its work is lost (run it again when the engine answers): ${e.message}`, { cause: error, details: { containerId: id } });
      }
      throw e;
    } finally {
      settled = true;
      events.close();
      ctx.live.delete(id);
      spec.signal?.removeEventListener('abort', onAbort);
    }
  })();
  // Callers that never await the result must not crash the process with an unhandled rejection.
  result.catch(() => undefined);
  return { id, result, kill: () => kill('killed') };
}
