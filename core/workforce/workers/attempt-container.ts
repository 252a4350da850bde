// An attempt's container: one isolated session per attempt, in which every write and command is gated, recorded and evented.
import { createHash } from 'node:crypto';
import { type ContainerRuntime, type ContainerSession, type ExecResult, MANAGER_LABEL } from '../../containers/container-runtime';
import { AuraError, toAuraError } from '../../domain/errors';
import type { EventLog, NewEvent } from '../../events/event-log';
import type { Logger } from '../../observability/logger';
import type { CallRecorder } from '../../replay/call-recorder';
import { recordLiveToolCall } from '../../replay/tool-recording';
import type { Assignment } from '../worker';
import { type AttemptScope, stopError } from './attempt-control';
import type { AttemptRunlog, RunlogKind } from './runlog';

/** A policy's answer before a command or file change runs inside the container. */
export type GateDecision = { action: 'allow' } | { action: 'deny' | 'require_approval'; rule: string; reason: string };

export interface ToolRequest {
  assignment: Assignment;
  kind: 'command' | 'call';
  /** 'shell' for commands; 'write_file' / 'delete_file' for file changes. */
  name: string;
  command: string;
  paths: string[];
}

export type CommandGate = (request: ToolRequest) => Promise<GateDecision>;

export const allowAllCommands: CommandGate = async () => ({ action: 'allow' });

/** What both container workers are built with. */
export interface WorkerEnvironment {
  runtime: ContainerRuntime;
  /** The image employees run in when their profile names none (aura/worker:local). */
  defaultImage: string;
  events?: EventLog;
  commandGate?: CommandGate;
  logger?: Logger;
  /** Records each command and its outcome (recording mode 'record'; in a replay run, compares it with the record).
   * Commands always run for real: their effect on the workspace is the work product, which a stored outcome alone
   * cannot give back. */
  recorder?: CallRecorder;
}

/** Runs a tool call for real, recording it (record mode) or comparing it with the record (a replay run). */
export function recordedTool<T>(recorder: CallRecorder | undefined, tool: string, args: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  return recorder ? recordLiveToolCall(recorder, { tool, args }, run) : run();
}

/** Labels on every container of an attempt: HR and the Manager kill or clean up by them. */
export function attemptLabels(a: Assignment): Record<string, string> {
  const labels: Record<string, string> = { 'aura.run': a.runId, 'aura.task': a.taskId, 'aura.attempt': String(a.attempt), 'aura.employee': a.employee.id };
  // The Manager running the attempt: when it dies, whoever takes over its attempts removes these containers.
  if (a.manager) labels[MANAGER_LABEL] = a.manager;
  return labels;
}

export function employeeActor(a: Assignment): string {
  return `employee:${a.employee.id}`;
}

export interface AttemptContainer {
  /** Runs a shell command line in /workspace and records it (kind 'command', or 'check' for acceptance commands). */
  run(commandLine: string, kind?: Extract<RunlogKind, 'command' | 'check'>): Promise<ExecResult>;
  writeFile(relativePath: string, content: string): Promise<ExecResult>;
  deleteFile(relativePath: string): Promise<ExecResult>;
  close(): Promise<void>;
}

export interface AttemptContainerOptions {
  env: WorkerEnvironment;
  assignment: Assignment;
  scope: AttemptScope;
  runlog: AttemptRunlog;
  /** Host folder mounted at /workspace. */
  workdir?: string;
}

/** Opens the attempt's session: network none, the employee's limits, no environment of the host at all. */
export async function openAttemptContainer(options: AttemptContainerOptions): Promise<AttemptContainer> {
  const { env, assignment, scope, runlog, workdir } = options;
  const profile = assignment.employee.profile;
  const gate = env.commandGate ?? allowAllCommands;
  if (scope.signal.aborted) throw stopError(scope.signal);
  const session: ContainerSession = await env.runtime.start({
    image: profile.image ?? env.defaultImage,
    workspace: workdir,
    network: 'none',
    memoryMb: profile.limits.memoryMb,
    cpus: profile.limits.cpus,
    pids: profile.limits.pids,
    timeoutMs: scope.remainingMs(),
    labels: attemptLabels(assignment),
    env: { HOME: '/tmp' },
  });
  const unhook = scope.onStop(() => void session.kill().catch(() => undefined));
  let calls = 0;

  const append = async (event: NewEvent) => {
    if (!env.events) return;
    try {
      await env.events.append(event as NewEvent<never>);
    } catch (error) {
      // Events describe the work; failing to write one must not lose the work itself, so it is logged, not thrown.
      env.logger?.warn({ err: toAuraError(error).message, taskId: assignment.taskId }, 'could not append a tool event');
    }
  };

  const exec = async (kind: RunlogKind, tool: ToolRequest, argv: string[], stdin?: string, recordAs?: string): Promise<ExecResult> => {
    if (scope.signal.aborted) throw stopError(scope.signal);
    const callId = `${assignment.idempotencyKey}#${++calls}`;
    const shown = recordAs ?? tool.command;
    const decision = await gate(tool);
    const input = tool.kind === 'command' ? { command: shown } : { path: tool.paths[0] ?? '' };
    await append({ type: 'ToolCalled', actor: employeeActor(assignment), runId: assignment.runId, taskId: assignment.taskId, payload: { tool: tool.name, callId, input } });
    if (decision.action !== 'allow') {
      const why = decision.action === 'deny' ? 'denied' : 'needs approval';
      await runlog.add({ kind, command: shown, reason: 'denied', detail: { rule: decision.rule, decision: decision.action, why: decision.reason } });
      await append({ type: 'ToolFailed', actor: employeeActor(assignment), runId: assignment.runId, taskId: assignment.taskId, payload: { tool: tool.name, callId, durationMs: 0, error: `${why} by policy rule ${decision.rule}` } });
      throw new AuraError('policy_denied', `${tool.name} "${shown}" was ${why} by policy rule "${decision.rule}": ${decision.reason}`, { retryable: true, details: { rule: decision.rule } });
    }
    let result: ExecResult;
    try {
      const args = { command: shown, image: profile.image ?? env.defaultImage, ...(stdin === undefined ? {} : { stdinSha256: createHash('sha256').update(stdin).digest('hex') }) };
      result = await recordedTool(env.recorder, tool.name, args, () => session.exec(argv, { stdin, workdir: workdir ? '/workspace' : '/tmp', timeoutMs: scope.remainingMs() }));
    } catch (error) {
      if (scope.signal.aborted) throw stopError(scope.signal);
      throw error;
    }
    await runlog.add({ kind, command: shown, exitCode: result.exitCode, durationMs: result.durationMs, reason: result.reason, stdout: result.stdout, stderr: result.stderr, truncated: result.truncated });
    const ok = result.reason === 'exited' && result.exitCode === 0;
    await append(
      ok
        ? { type: 'ToolSucceeded', actor: employeeActor(assignment), runId: assignment.runId, taskId: assignment.taskId, payload: { tool: tool.name, callId, durationMs: result.durationMs, output: { exitCode: result.exitCode } } }
        : { type: 'ToolFailed', actor: employeeActor(assignment), runId: assignment.runId, taskId: assignment.taskId, payload: { tool: tool.name, callId, durationMs: result.durationMs, error: `${result.reason}, exit ${result.exitCode}` } },
    );
    if (scope.signal.aborted) throw stopError(scope.signal);
    if (result.reason === 'oom') throw new AuraError('unavailable', `The container ran out of memory (${assignment.employee.profile.limits.memoryMb} MB) during "${shown}".`, { retryable: true });
    return result;
  };

  return {
    run: (commandLine, kind = 'command') => exec(kind, { assignment, kind: 'command', name: 'shell', command: commandLine, paths: [] }, ['sh', '-c', commandLine]),
    writeFile: (p, content) =>
      exec('write', { assignment, kind: 'call', name: 'write_file', command: '', paths: [p] }, ['sh', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', 'aura-write', p], content, `write ${p} (${Buffer.byteLength(content)} bytes)`),
    deleteFile: (p) => exec('delete', { assignment, kind: 'call', name: 'delete_file', command: '', paths: [p] }, ['rm', '-f', '--', p], undefined, `delete ${p}`),
    async close() {
      unhook();
      await session.remove().catch((error: unknown) => env.logger?.warn({ err: toAuraError(error).message, taskId: assignment.taskId }, 'could not remove the attempt container'));
    },
  };
}
