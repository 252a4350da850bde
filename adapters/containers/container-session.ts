// A long-lived container for one task: several commands run in it by exec, each captured; killed and removed as one.
import type Docker from 'dockerode';
import type { ContainerSession, EndReason, ExecOptions, ExecResult, SessionEnd, SessionSpec } from '../../core/containers/container-runtime';
import { AuraError } from '../../core/domain/errors';
import { wireCommandIo } from './command-io';
import { createOptions, envList, parseCommand, parseExecOptions, parseSessionSpec } from './container-spec';
import { engineError } from './docker-engine';
import { createContainer, killContainer, removeOrOwe, type RuntimeContext } from './runtime-context';

/** How long an exec that died of SIGKILL waits for the engine's 'oom' event before calling it a kill. */
const oomEventGraceMs = 500;

export async function startSession(ctx: RuntimeContext, input: SessionSpec): Promise<ContainerSession> {
  const spec = parseSessionSpec(input);
  await ctx.ensureEngine('a session container');
  const { docker, host } = ctx.engine;
  // The main process only keeps the container alive, and ends on its own a little after the session's deadline.
  const command = spec.command ?? ['sleep', String(Math.ceil(spec.timeoutMs / 1000) + 5)];
  const container = await createContainer(ctx, { ...createOptions(spec, command, ctx.isolation, false), AttachStdout: false, AttachStderr: false });
  const id = container.id;
  let events: NodeJS.ReadableStream | undefined;
  try {
    events = await docker.getEvents({ filters: { container: [id], event: ['oom'] } });
    await container.start();
  } catch (error) {
    (events as { destroy?: () => void } | undefined)?.destroy?.();
    await removeOrOwe(ctx, container);
    throw engineError(error, `starting session container ${id}`, host);
  }
  return createSession(ctx, container, spec, events);
}

function createSession(ctx: RuntimeContext, container: Docker.Container, spec: SessionSpec, events: NodeJS.ReadableStream): ContainerSession {
  const id = container.id;
  const { docker, host } = ctx.engine;
  let ending: EndReason | undefined;
  let stopped = false;
  let ooms = 0;
  const oomWaiters = new Set<() => void>();
  events.on('data', () => {
    ooms += 1;
    for (const wake of oomWaiters) wake();
  });
  events.on('error', () => undefined); // the engine going away is reported by `ended`

  const kill = async (why: 'killed' | 'timeout') => {
    if (stopped) return;
    ending ??= why;
    await killContainer(container, host);
  };
  const lifetime = setTimeout(() => void kill('timeout').catch(() => undefined), spec.timeoutMs);
  ctx.live.set(id, { markKilled: () => void (ending ??= 'killed') });

  const ended = (async (): Promise<SessionEnd> => {
    try {
      const exit = (await container.wait()) as { StatusCode: number };
      const state = ((await container.inspect()) as { State: { OOMKilled?: boolean } }).State;
      return { exitCode: exit.StatusCode, reason: ending ?? (state.OOMKilled ? 'oom' : 'exited') };
    } catch (error) {
      throw engineError(error, `watching session container ${id}`, host);
    } finally {
      stopped = true;
      clearTimeout(lifetime);
      ctx.live.delete(id);
      (events as { destroy?: () => void }).destroy?.();
      await removeOrOwe(ctx, container);
    }
  })();
  ended.catch(() => undefined);

  /** Whether an 'oom' event arrives (or arrived) after `before` events, within the grace period. */
  const oomSince = (before: number) =>
    ooms > before
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            oomWaiters.delete(wake);
            resolve(true);
          };
          const timer = setTimeout(() => {
            oomWaiters.delete(wake);
            resolve(ooms > before);
          }, oomEventGraceMs);
          oomWaiters.add(wake);
        });

  const exec = async (commandInput: string[], optionsInput: ExecOptions = {}): Promise<ExecResult> => {
    const command = parseCommand(commandInput);
    const options = parseExecOptions(optionsInput);
    if (stopped) throw new AuraError('conflict', `Session container ${id} has stopped (${ending ?? 'exited'}); start a new session`);
    const oomsBefore = ooms;
    const hasStdin = options.stdin !== undefined;
    let stream: NodeJS.ReadWriteStream;
    let execution: Docker.Exec;
    try {
      execution = await container.exec({
        Cmd: command,
        AttachStdin: hasStdin,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        Env: envList(options.env),
        WorkingDir: options.workdir,
      });
      stream = await execution.start({ hijack: true, stdin: hasStdin, Tty: false });
    } catch (error) {
      const e = engineError(error, `running a command in session container ${id}`, host);
      if (e.code === 'conflict') throw new AuraError('conflict', `Session container ${id} has stopped; start a new session`, { cause: error });
      throw e;
    }
    const startedAt = Date.now();
    const redact = [...(spec.redact ?? []), ...(options.redact ?? [])];
    const io = wireCommandIo(docker, stream, { stdin: options.stdin, redact, maxOutputBytes: spec.maxOutputBytes, onOutput: options.onOutput });
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            void kill('timeout').catch(() => undefined);
          }, options.timeoutMs);
    try {
      await io.ended;
      const exitCode = await exitCodeOf(execution, host);
      const durationMs = Date.now() - startedAt;
      const reason: EndReason = timedOut
        ? 'timeout'
        : ending === 'killed' || ending === 'timeout'
          ? ending
          : exitCode === 137 && (await oomSince(oomsBefore))
            ? 'oom'
            : 'exited';
      return { command, exitCode, ...io.finish(), durationMs, reason, containerId: id };
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    id,
    exec,
    kill: () => kill('killed'),
    async remove() {
      if (!stopped) await kill('killed');
      await ended.catch(() => undefined);
    },
    ended,
  };
}

/** The exec's exit code once the engine has recorded it (it can lag the end of the stream by a moment). */
async function exitCodeOf(execution: Docker.Exec, host: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    let info: { Running: boolean; ExitCode: number | null };
    try {
      info = (await execution.inspect()) as { Running: boolean; ExitCode: number | null };
    } catch (error) {
      throw engineError(error, 'reading a command\'s exit code', host);
    }
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    if (!info.Running || attempt >= 100) return info.ExitCode ?? 137;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
