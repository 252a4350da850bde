// A model employee: asks its ModelProvider (on the host) for a JSON action plan, applies it inside its own container.
// The API key stays with the provider on the host; the container has no network and no secret.
import { AuraError } from '../../domain/errors';
import type { ExecResult } from '../../containers/container-runtime';
import type { Employee } from '../employee';
import { ModelCallError } from '../model-call-error';
import type { ChatMessage, CompletionResponse, ModelProvider } from '../model-provider';
import type { Assignment, BaseModelWorker, Telemetry, WorkContext, WorkResult } from '../worker';
import { actionPlanJsonSchema, checkPlanScope, parseActionPlan, type PlannedAction } from './action-plan';
import { type AttemptContainer, openAttemptContainer, type WorkerEnvironment } from './attempt-container';
import { createAttemptControl, stopError } from './attempt-control';
import { failedChecksFeedback, initialMessages, invalidAnswerFeedback, snapshotWorkspace } from './model-prompt';
import type { AttemptRunlog, Runlogs } from './runlog';

export interface ModelWorkerOptions extends WorkerEnvironment {
  employee: Employee;
  provider: ModelProvider;
  runlogs: Runlogs;
  /** Answers per attempt: the first, plus the chances to fix what failed (default 3). */
  maxRounds?: number;
  now?: () => number;
}

/** Answers the model may correct in the next round; anything else ends the attempt. */
const correctable = new Set(['not_json', 'schema_mismatch', 'empty']);

interface CommandRecord {
  command: string;
  exitCode: number;
  durationMs: number;
  reason: string;
}

function record(command: string, r: ExecResult): CommandRecord {
  return { command, exitCode: r.exitCode, durationMs: r.durationMs, reason: r.reason };
}

export function createModelWorker(options: ModelWorkerOptions): BaseModelWorker {
  const { employee, provider, runlogs, maxRounds = 3 } = options;
  const control = createAttemptControl(options.now);

  async function ask(messages: ChatMessage[], signal: AbortSignal, timeoutMs: number, telemetry: Telemetry, runlog: AttemptRunlog, round: number): Promise<CompletionResponse | ModelCallError> {
    const started = Date.now();
    try {
      const response = await provider.complete({ messages, jsonSchema: { name: 'aura_action_plan', schema: actionPlanJsonSchema }, temperature: 0, signal, timeoutMs });
      telemetry.tokensIn += response.tokensIn;
      telemetry.tokensOut += response.tokensOut;
      telemetry.costUsd += response.costUsd;
      telemetry.latencyMs += response.latencyMs;
      telemetry.model = response.model;
      await runlog.add({ kind: 'model', command: `round ${round}: ${provider.provider}/${provider.model}`, durationMs: response.latencyMs, reason: response.finishReason, detail: { tokensIn: response.tokensIn, tokensOut: response.tokensOut, costUsd: response.costUsd, model: response.model } });
      return response;
    } catch (error) {
      if (signal.aborted) throw stopError(signal);
      if (!(error instanceof ModelCallError)) throw error;
      const usage = error.details?.usage as { tokensIn: number; tokensOut: number; costUsd: number } | undefined;
      if (usage) {
        telemetry.tokensIn += usage.tokensIn;
        telemetry.tokensOut += usage.tokensOut;
        telemetry.costUsd += usage.costUsd;
      }
      telemetry.latencyMs += Date.now() - started;
      await runlog.add({ kind: 'model', command: `round ${round}: ${provider.provider}/${provider.model}`, durationMs: Date.now() - started, reason: error.reason, stderr: error.message });
      if (correctable.has(error.reason) || error.reason === 'truncated') return error;
      throw error;
    }
  }

  async function apply(container: AttemptContainer, actions: readonly PlannedAction[], commands: CommandRecord[]): Promise<Array<{ command: string; result: ExecResult }>> {
    const failed: Array<{ command: string; result: ExecResult }> = [];
    for (const action of actions) {
      if (action.type === 'write_file') {
        const r = await container.writeFile(action.path, action.content);
        commands.push(record(`write ${action.path}`, r));
        if (r.exitCode !== 0) failed.push({ command: `write ${action.path}`, result: r });
      } else if (action.type === 'delete_file') {
        const r = await container.deleteFile(action.path);
        commands.push(record(`delete ${action.path}`, r));
        if (r.exitCode !== 0) failed.push({ command: `delete ${action.path}`, result: r });
      } else {
        const r = await container.run(action.command);
        commands.push(record(action.command, r));
        if (r.exitCode !== 0) failed.push({ command: action.command, result: r });
      }
    }
    return failed;
  }

  async function attempt(assignment: Assignment, context: WorkContext, scope: ReturnType<typeof control.begin>): Promise<WorkResult> {
    const telemetry: Telemetry = { tokensIn: 0, tokensOut: 0, latencyMs: 0, costUsd: 0, model: provider.model };
    const runlog = await runlogs.open(assignment);
    const commands: CommandRecord[] = [];
    const checks: CommandRecord[] = [];
    const planned: Array<{ round: number; summary: string; actions: string[] }> = [];
    const finish = (status: WorkResult['status'], summary: string, claimsChecksPassed?: boolean): WorkResult => ({
      status,
      summary,
      telemetry,
      claimsChecksPassed,
      output: { rounds: planned, commands, checks },
    });
    const messages = initialMessages(assignment, snapshotWorkspace(context.workdir, assignment.task.scope));
    const container = await openAttemptContainer({ env: options, assignment, scope, runlog, workdir: context.workdir });
    try {
      let lastProblem = '';
      for (let round = 1; round <= maxRounds; round++) {
        context.progress(`round ${round}: asking ${provider.provider}/${provider.model}`);
        const answer = await ask(messages, scope.signal, scope.remainingMs(), telemetry, runlog, round);
        if (answer instanceof ModelCallError) {
          if (answer.reason === 'truncated') return finish('failed', `The model's answer was truncated: ${answer.message}`);
          lastProblem = answer.message;
          messages.push(invalidAnswerFeedback(answer.message));
          continue;
        }
        let plan: { summary: string; actions: PlannedAction[] };
        try {
          plan = parseActionPlan(answer.text);
          checkPlanScope(plan.actions, assignment.task.scope);
        } catch (error) {
          if (!AuraError.is(error, 'invalid_input')) throw error;
          lastProblem = error.message;
          await runlog.add({ kind: 'note', command: `round ${round}: answer refused`, stderr: error.message });
          messages.push({ role: 'assistant', content: answer.text }, invalidAnswerFeedback(error.message));
          continue;
        }
        planned.push({ round, summary: plan.summary, actions: plan.actions.map((a) => (a.type === 'run' ? `run ${a.command}` : `${a.type} ${a.path}`)) });
        const ownFailures = await apply(container, plan.actions, commands);
        const checkFailures: Array<{ command: string; result: ExecResult }> = [];
        for (const command of assignment.task.acceptance.commands) {
          const r = await container.run(command, 'check');
          checks.push(record(command, r));
          if (r.exitCode !== 0) checkFailures.push({ command, result: r });
        }
        const hasChecks = assignment.task.acceptance.commands.length > 0;
        const failures = hasChecks ? checkFailures : ownFailures;
        if (failures.length === 0) return finish('succeeded', plan.summary, hasChecks ? true : undefined);
        lastProblem = failures.map((f) => `\`${f.command}\` failed (exit ${f.result.exitCode}${f.result.reason !== 'exited' ? `, ${f.result.reason}` : ''})`).join('; ');
        messages.push({ role: 'assistant', content: answer.text }, failedChecksFeedback(failures));
      }
      return finish('failed', `No working result after ${maxRounds} rounds: ${lastProblem}`, assignment.task.acceptance.commands.length ? false : undefined);
    } finally {
      await container.close();
    }
  }

  return {
    capabilities: { provider: employee.profile.provider, model: employee.profile.model, kinds: ['code', 'doc', 'analysis', 'command', 'review'], structuredOutput: true, isolated: true },
    execute: (assignment, context) => control.run(assignment.taskId, context.signal, assignment.deadline, (scope) => attempt(assignment, context, scope)),
    cancel: (taskId) => control.cancel(taskId),
  };
}
