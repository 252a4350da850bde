// A long-lived container for one task: several commands run in it by exec, each captured; killed and removed as one.
import type Docker from 'dockerode';
import type { ContainerSession, EndReason, ExecOptions, ExecResult, SessionEnd, SessionSpec } from '../../core/containers/container-runtime';
import { AuraError } from '../../core/domain/errors';
import { wireCommandIo } from './command-io';
import { type ContainerEvents, watchContainerEvents } from './container-events';
import { createOptions, envList, parseCommand, parseExecOptions, parseSessionSpec } from './container-spec';
import { engineError } from './docker-engine';
import { createRedactor } from './output-capture';
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
  let events: ContainerEvents | undefined;
  try {
    events = await watchContainerEvents(docker, id);
    await container.start();
  } catch (error) {
    events?.close();
    await removeOrOwe(ctx, container);
    throw engineError(error, `starting session container ${id}`, host);
  }
  return createSession(ctx, container, spec, events);
}

function createSession(ctx: RuntimeContext, container: Docker.Container, spec: SessionSpec, events: ContainerEvents): ContainerSession {
  const id = container.id;
  const { docker, host } = ctx.engine;
  let ending: EndReason | undefined;
  let stopped = false;

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
      return { exitCode: exit.StatusCode, reason: ending ?? (state.OOMKilled ? 'oom' : events.kills > 0 ? 'killed' : 'exited') };
    } catch (error) {
      throw engineError(error, `watching session container ${id}`, host);
    } finally {
      stopped = true;
      clearTimeout(lifetime);
      ctx.live.delete(id);
      events.close();
      await removeOrOwe(ctx, container);
    }
  })();
  ended.catch(() => undefined);

  const exec = async (commandInput: string[], optionsInput: ExecOptions = {}): Promise<ExecResult> => {
    const command = parseCommand(commandInput);
    const options = parseExecOptions(optionsInput);
    if (stopped) throw new AuraError('conflict', `Session container ${id} has stopped (${ending ?? 'exited'}); start a new session`);
    const oomsBefore = events.ooms;
    const killsBefore = events.kills;
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
          : exitCode === 137 && (await events.oomAfter(oomsBefore, oomEventGraceMs))
            ? 'oom'
            : events.kills > killsBefore
              ? 'killed'
              : 'exited';
      // The command line is evidence too: a secret passed as an argument is masked there as well.
      const masked = command.map((arg) => {
        const r = createRedactor(redact);
        return r.push(arg) + r.flush();
      });
      return { command: masked, exitCode, ...io.finish(), durationMs, reason, containerId: id };
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
