// A CLI-agent employee: a command line run in its own container in /workspace. Either a command speaking the
// aura.cli-agent/1 protocol (docs/cli-agent-protocol.md) or a real coding agent run as it is from its preset
// (docs/agents.md), whose model calls go through the gateway. The worker, not the agent, turns the worktree into the
// attempt's commit (withWorkspace) and the result.
import type { ContainerSpec } from '../../containers/container-runtime';
import { AuraError, toAuraError } from '../../domain/errors';
import type { ModelGateway } from '../../gateway/model-gateway';
import type { Employee } from '../employee';
import type { SecretSources } from '../secret-ref';
import { readHandoffFile } from '../../workspace/handoff-files';
import type { Assignment, BaseModelWorker, Telemetry, WorkContext, WorkResult } from '../worker';
import { MAX_RESULT_BYTES, parseCliAgentResult } from './cli-agent-protocol';
import type { AgentLauncher } from './agent-launch';
import { allowAllCommands, attemptLabels, employeeActor, recordedTool, type WorkerEnvironment } from './attempt-container';
import { type AttemptScope, createAttemptControl, stopError } from './attempt-control';
import { createPresetLauncher } from './preset-launch';
import { createProtocolLauncher } from './protocol-launch';
import type { Runlogs } from './runlog';

export interface CliAgentWorkerOptions extends WorkerEnvironment {
  employee: Employee;
  runlogs: Runlogs;
  /** Where apiKeyRef is resolved (default: the server's environment and files), at the moment the container starts. */
  secrets?: SecretSources;
  /** The model gateway agent presets reach their model through (required for a profile with `agent`). */
  gateway?: ModelGateway;
  now?: () => number;
}

function launcherFor(options: CliAgentWorkerOptions): AgentLauncher {
  const { employee } = options;
  if (employee.profile.agent) return createPresetLauncher({ employee, gateway: options.gateway });
  const command = employee.profile.command;
  if (!command) throw new AuraError('invalid_input', `Employee "${employee.profile.name}" is a CLI agent but its profile has neither an agent nor a command.`);
  return createProtocolLauncher({ employee, command, defaultImage: options.defaultImage, secrets: options.secrets });
}

export function createCliAgentWorker(options: CliAgentWorkerOptions): BaseModelWorker {
  const { employee, runlogs, runtime } = options;
  const launch = launcherFor(options);
  const control = createAttemptControl(options.now);
  const gate = options.commandGate ?? allowAllCommands;
  const warn = (e: unknown) => options.logger?.warn({ err: toAuraError(e).message }, 'could not append a tool event');

  /**
   * A resumed attempt whose protocol agent had already written its result into the worktree (its Manager died after the
   * agent ended, before the result was stored) takes that result: the agent is not run a second time.
   */
  async function finishedBefore(assignment: Assignment, context: WorkContext): Promise<WorkResult | null> {
    if (employee.profile.agent || assignment.resumed?.from !== 'worktree' || !context.workdir) return null;
    let text: string | null;
    try {
      text = readHandoffFile(context.workdir, 'result.json', MAX_RESULT_BYTES);
    } catch {
      return null;
    }
    const parsed = text === null ? null : parseCliAgentResult(text, '');
    if (!parsed?.ok) return null;
    const runlog = await runlogs.open(assignment);
    await runlog.add({ kind: 'note', command: 'resumed', stderr: 'the agent had finished before its Manager died: its result file in the worktree is used; the agent is not run again' });
    context.progress('resumed: the agent had finished; its result file is used');
    const r = parsed.result;
    const telemetry: Telemetry = { tokensIn: r.telemetry?.tokensIn ?? 0, tokensOut: r.telemetry?.tokensOut ?? 0, latencyMs: 0, costUsd: r.telemetry?.costUsd ?? 0, model: r.telemetry?.model ?? employee.profile.model };
    return { status: r.status, summary: r.summary, claimsChecksPassed: r.claimsChecksPassed, output: { exitCode: 0, durationMs: 0, reason: 'exited', result: r.output ?? null, resultFrom: 'file (left by the run before the resume)' }, telemetry };
  }

  async function attempt(assignment: Assignment, context: WorkContext, scope: AttemptScope): Promise<WorkResult> {
    const left = await finishedBefore(assignment, context);
    if (left) return left;
    const profile = employee.profile;
    const tool = profile.agent ?? 'cli-agent';
    const runlog = await runlogs.open(assignment);
    const launched = await launch(assignment, context);
    try {
      const decision = await gate({ assignment, kind: 'command', name: 'cli-agent', command: launched.shown, paths: [] });
      if (decision.action !== 'allow') {
        await runlog.add({ kind: 'agent', command: launched.shown, reason: 'denied', detail: { rule: decision.rule, decision: decision.action, why: decision.reason } });
        throw new AuraError('policy_denied', `The agent command was refused by policy rule "${decision.rule}": ${decision.reason}`, { retryable: true, details: { rule: decision.rule } });
      }
      const callId = `${assignment.idempotencyKey}#agent`;
      const event = { actor: employeeActor(assignment), runId: assignment.runId, taskId: assignment.taskId };
      await options.events?.append({ type: 'ToolCalled', ...event, payload: { tool, callId, input: { command: launched.shown, image: launched.image, network: launched.network } } }).catch(warn);
      context.progress(`starting ${profile.agent ?? launched.shown}`);
      const spec: ContainerSpec = {
        image: launched.image,
        command: launched.command,
        stdin: launched.stdin,
        workspace: context.workdir,
        env: launched.env,
        redact: launched.redact,
        network: launched.network,
        memoryMb: profile.limits.memoryMb,
        cpus: profile.limits.cpus,
        pids: profile.limits.pids,
        timeoutMs: scope.remainingMs(),
        labels: attemptLabels(assignment),
        signal: scope.signal,
      };
      const result = await recordedTool(options.recorder, tool, launched.recordArgs, async () => {
        const handle = await runtime.run(spec);
        const kill = () => void handle.kill().catch(() => undefined);
        const unhook = scope.onStop(kill);
        const unhookAbort = launched.onAbort(kill);
        try {
          return await handle.result;
        } finally {
          unhook();
          unhookAbort();
        }
      });
      await runlog.add({ kind: 'agent', command: launched.shown, exitCode: result.exitCode, durationMs: result.durationMs, reason: result.reason, stdout: result.stdout, stderr: result.stderr, truncated: result.truncated });
      const ok = result.reason === 'exited' && result.exitCode === 0;
      await options.events
        ?.append(
          ok
            ? { type: 'ToolSucceeded', ...event, payload: { tool, callId, durationMs: result.durationMs, output: { exitCode: result.exitCode } } }
            : { type: 'ToolFailed', ...event, payload: { tool, callId, durationMs: result.durationMs, error: `${result.reason}, exit ${result.exitCode}` } },
        )
        .catch(warn);
      if (scope.signal.aborted) throw stopError(scope.signal);
      const stopped = launched.stopped(result);
      if (stopped) return stopped;
      if (result.reason === 'timeout') throw new AuraError('timeout', `The agent ran past its deadline and was killed after ${result.durationMs} ms.`);
      const telemetry = launched.telemetry(result);
      const output = { exitCode: result.exitCode, durationMs: result.durationMs, reason: result.reason };
      if (result.reason === 'oom') return { status: 'failed', summary: `The agent ran out of memory (${profile.limits.memoryMb} MB) and was killed.`, telemetry, output };
      if (result.reason === 'killed') return { status: 'failed', summary: `The agent's container was killed from outside (exit ${result.exitCode}) before it finished.`, telemetry, output };
      return await launched.result(result, context, runlog);
    } finally {
      await launched.close().catch((e: unknown) => options.logger?.warn({ err: toAuraError(e).message, taskId: assignment.taskId }, 'could not close the agent launch'));
    }
  }

  return {
    capabilities: { provider: 'cli', model: employee.profile.model, kinds: ['code', 'doc', 'analysis', 'command', 'review'], structuredOutput: !employee.profile.agent, isolated: true },
    execute: (assignment, context) => control.run(assignment.taskId, context.signal, assignment.deadline, (scope) => attempt(assignment, context, scope)),
    cancel: (taskId) => control.cancel(taskId),
  };
}
