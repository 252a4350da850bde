// A CLI-agent employee: any command line run in its own container, given the assignment on stdin and in a file,
// working in /workspace, answering with a result JSON (protocol aura.cli-agent/1, docs/cli-agent-protocol.md).
import type { ContainerSpec } from '../../containers/container-runtime';
import type { ModelGateway } from '../../gateway/model-gateway';
import { AuraError, toAuraError } from '../../domain/errors';
import { readHandoffFile, writeHandoffFile } from '../../workspace/handoff-files';
import type { Employee } from '../employee';
import { resolveSecretRef, type SecretSources } from '../secret-ref';
import type { Assignment, BaseModelWorker, Telemetry, WorkContext, WorkResult } from '../worker';
import { allowAllCommands, attemptLabels, employeeActor, recordedTool, type WorkerEnvironment } from './attempt-container';
import { type AttemptScope, createAttemptControl, stopError } from './attempt-control';
import { ASSIGNMENT_FILE, buildAssignment, CLI_AGENT_PROTOCOL, MAX_RESULT_BYTES, parseCliAgentResult, RESULT_FILE } from './cli-agent-protocol';
import type { Runlogs } from './runlog';

export interface CliAgentWorkerOptions extends WorkerEnvironment {
  employee: Employee;
  runlogs: Runlogs;
  /** Where apiKeyRef is resolved (default: the server's environment and files), at the moment the container starts. */
  secrets?: SecretSources;
  /**
   * The model gateway (aura serve's, composed in mcp-server/mcp/compose/open-aura-services.ts): grant(assignment) per
   * attempt gives the token and base URLs to put in the container instead of the key; usage() is the attempt's
   * telemetry; onRefusal() stops the attempt (refusalError() is the error to end it with); revoke() at its end.
   */
  gateway?: ModelGateway;
  now?: () => number;
}

/**
 * The container's whole environment: the protocol's variables, and the employee's own key (when its profile names
 * one) as AURA_API_KEY and under the variable an `env:` reference names. Nothing of the host's environment.
 */
function agentEnvironment(employee: Employee, hasWorkspace: boolean, secrets: SecretSources | undefined): { env: Record<string, string>; redact: string[] } {
  const profile = employee.profile;
  const env: Record<string, string> = { HOME: '/tmp', AURA_PROTOCOL: CLI_AGENT_PROTOCOL, AURA_MODEL: profile.model };
  if (hasWorkspace) Object.assign(env, { AURA_ASSIGNMENT_FILE: ASSIGNMENT_FILE, AURA_RESULT_FILE: RESULT_FILE });
  if (profile.baseUrl) env.AURA_MODEL_BASE_URL = profile.baseUrl;
  const redact: string[] = [];
  if (profile.apiKeyRef) {
    const secret = resolveSecretRef(profile.apiKeyRef, secrets);
    env.AURA_API_KEY = secret.reveal();
    if (profile.apiKeyRef.startsWith('env:')) env[profile.apiKeyRef.slice(4)] = secret.reveal();
    redact.push(secret.reveal());
  }
  return { env, redact };
}

function tailOf(text: string, max = 2000): string {
  const t = text.trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}

export function createCliAgentWorker(options: CliAgentWorkerOptions): BaseModelWorker {
  const { employee, runlogs, runtime } = options;
  const command = employee.profile.command;
  if (!command) throw new AuraError('invalid_input', `Employee "${employee.profile.name}" is a CLI agent but its profile has no command.`);
  const control = createAttemptControl(options.now);
  const gate = options.commandGate ?? allowAllCommands;

  async function attempt(assignment: Assignment, context: WorkContext, scope: AttemptScope): Promise<WorkResult> {
    const profile = employee.profile;
    const shown = command!.join(' ');
    const hasWorkspace = Boolean(context.workdir);
    const assignmentJson = JSON.stringify(buildAssignment(assignment, hasWorkspace), null, 2);
    if (context.workdir) writeHandoffFile(context.workdir, 'assignment.json', assignmentJson);
    const decision = await gate({ assignment, kind: 'command', name: 'cli-agent', command: shown, paths: [] });
    const runlog = await runlogs.open(assignment);
    if (decision.action !== 'allow') {
      await runlog.add({ kind: 'agent', command: shown, reason: 'denied', detail: { rule: decision.rule, decision: decision.action, why: decision.reason } });
      throw new AuraError('policy_denied', `The agent command was refused by policy rule "${decision.rule}": ${decision.reason}`, { retryable: true, details: { rule: decision.rule } });
    }
    // The key is read now, not when the worker was made, so a rotated key takes effect on the next attempt.
    const { env, redact } = agentEnvironment(employee, hasWorkspace, options.secrets);
    const callId = `${assignment.idempotencyKey}#agent`;
    const event = { actor: employeeActor(assignment), runId: assignment.runId, taskId: assignment.taskId };
    await options.events?.append({ type: 'ToolCalled', ...event, payload: { tool: 'cli-agent', callId, input: { command: shown, image: profile.image ?? options.defaultImage, network: profile.egress ? 'egress' : 'none' } } }).catch((e: unknown) => options.logger?.warn({ err: toAuraError(e).message }, 'could not append a tool event'));
    context.progress(`starting ${shown}`);
    const spec: ContainerSpec = {
      image: profile.image ?? options.defaultImage,
      command: command!,
      stdin: assignmentJson,
      workspace: context.workdir,
      env,
      redact,
      network: profile.egress ? 'egress' : 'none',
      memoryMb: profile.limits.memoryMb,
      cpus: profile.limits.cpus,
      pids: profile.limits.pids,
      timeoutMs: scope.remainingMs(),
      labels: attemptLabels(assignment),
      signal: scope.signal,
    };
    const result = await recordedTool(options.recorder, 'cli-agent', { command: shown, image: spec.image, assignment: assignmentJson }, async () => {
      const handle = await runtime.run(spec);
      const unhook = scope.onStop(() => void handle.kill().catch(() => undefined));
      try {
        return await handle.result;
      } finally {
        unhook();
      }
    });
    await runlog.add({ kind: 'agent', command: shown, exitCode: result.exitCode, durationMs: result.durationMs, reason: result.reason, stdout: result.stdout, stderr: result.stderr, truncated: result.truncated });
    const ok = result.reason === 'exited' && result.exitCode === 0;
    await options.events
      ?.append(
        ok
          ? { type: 'ToolSucceeded', ...event, payload: { tool: 'cli-agent', callId, durationMs: result.durationMs, output: { exitCode: result.exitCode } } }
          : { type: 'ToolFailed', ...event, payload: { tool: 'cli-agent', callId, durationMs: result.durationMs, error: `${result.reason}, exit ${result.exitCode}` } },
      )
      .catch((e: unknown) => options.logger?.warn({ err: toAuraError(e).message }, 'could not append a tool event'));
    if (scope.signal.aborted) throw stopError(scope.signal);
    if (result.reason === 'timeout') throw new AuraError('timeout', `The agent ran past its deadline and was killed after ${result.durationMs} ms.`);

    const telemetry: Telemetry = { tokensIn: 0, tokensOut: 0, latencyMs: result.durationMs, costUsd: 0, model: profile.model };
    const output = { exitCode: result.exitCode, durationMs: result.durationMs, reason: result.reason };
    if (result.reason === 'oom') return { status: 'failed', summary: `The agent ran out of memory (${profile.limits.memoryMb} MB) and was killed.`, telemetry, output };
    if (result.reason === 'killed') return { status: 'failed', summary: `The agent's container was killed from outside (exit ${result.exitCode}) before it finished.`, telemetry, output };
    let fileText: string | null = null;
    let problem: string | undefined;
    try {
      fileText = context.workdir ? readHandoffFile(context.workdir, 'result.json', MAX_RESULT_BYTES) : null;
    } catch (error) {
      problem = toAuraError(error).message;
    }
    const parsed = problem ? { ok: false as const, problem } : parseCliAgentResult(fileText, result.stdout);
    if (parsed.ok && parsed.result.telemetry) {
      const t = parsed.result.telemetry;
      telemetry.tokensIn = t.tokensIn ?? 0;
      telemetry.tokensOut = t.tokensOut ?? 0;
      telemetry.model = t.model ?? profile.model;
      telemetry.costUsd = t.costUsd ?? (telemetry.tokensIn * profile.costTable.inputPerMTok + telemetry.tokensOut * profile.costTable.outputPerMTok) / 1e6;
    }
    if (result.exitCode !== 0) {
      const said = parsed.ok ? ` It said: ${parsed.result.summary}` : '';
      return { status: 'failed', summary: `The agent exited with code ${result.exitCode}.${said}${result.stderr.trim() ? ` stderr: ${tailOf(result.stderr)}` : ''}`, telemetry, output };
    }
    if (!parsed.ok) {
      await runlog.add({ kind: 'note', command: 'result refused', stderr: parsed.problem });
      return { status: 'failed', summary: parsed.problem, telemetry, output };
    }
    const r = parsed.result;
    return { status: r.status, summary: r.summary, claimsChecksPassed: r.claimsChecksPassed, output: { ...output, result: r.output ?? null, resultFrom: parsed.source }, telemetry };
  }

  return {
    capabilities: { provider: 'cli', model: employee.profile.model, kinds: ['code', 'doc', 'analysis', 'command', 'review'], structuredOutput: true, isolated: true },
    execute: (assignment, context) => control.run(assignment.taskId, context.signal, assignment.deadline, (scope) => attempt(assignment, context, scope)),
    cancel: (taskId) => control.cancel(taskId),
  };
}
