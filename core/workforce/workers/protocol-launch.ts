// Launches a command line that speaks aura.cli-agent/1: the assignment on stdin and in a file, a result JSON back.
import { toAuraError } from '../../domain/errors';
import { readHandoffFile, writeHandoffFile } from '../../workspace/handoff-files';
import type { Employee } from '../employee';
import { resolveSecretRef, type SecretSources } from '../secret-ref';
import type { Telemetry } from '../worker';
import type { AgentLauncher } from './agent-launch';
import { tailOf } from './agent-launch';
import { ASSIGNMENT_FILE, buildAssignment, CLI_AGENT_PROTOCOL, MAX_RESULT_BYTES, parseCliAgentResult, RESULT_FILE, stableAssignment } from './cli-agent-protocol';

/**
 * The container's whole environment: the protocol's variables, and the employee's own key (when its profile names
 * one) as AURA_API_KEY and under the variable an `env:` reference names. Nothing of the host's environment.
 */
function protocolEnvironment(employee: Employee, hasWorkspace: boolean, secrets: SecretSources | undefined): { env: Record<string, string>; redact: string[] } {
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

export function createProtocolLauncher(options: { employee: Employee; command: string[]; defaultImage: string; secrets?: SecretSources }): AgentLauncher {
  const { employee, command } = options;
  const profile = employee.profile;
  return async (assignment, context) => {
    const hasWorkspace = Boolean(context.workdir);
    const handedOver = buildAssignment(assignment, hasWorkspace);
    const assignmentJson = JSON.stringify(handedOver, null, 2);
    if (context.workdir) writeHandoffFile(context.workdir, 'assignment.json', assignmentJson);
    // The key is read now, not when the worker was made, so a rotated key takes effect on the next attempt.
    const { env, redact } = protocolEnvironment(employee, hasWorkspace, options.secrets);
    const image = profile.image ?? options.defaultImage;
    const telemetry = (durationMs: number): Telemetry => ({ tokensIn: 0, tokensOut: 0, latencyMs: durationMs, costUsd: 0, model: profile.model });
    return {
      image,
      command,
      shown: command.join(' '),
      stdin: assignmentJson,
      env,
      redact,
      network: profile.egress ? 'egress' : 'none',
      // Keyed by what is stable across a run and its replay (no ids, no deadline): cli-agent-protocol's stableAssignment.
      recordArgs: { command: command.join(' '), image, assignment: stableAssignment(handedOver) },
      onAbort: () => () => undefined,
      stopped: () => null,
      telemetry: (run) => telemetry(run.durationMs),
      close: async () => undefined,
      async result(run, ctx, runlog) {
        const t = telemetry(run.durationMs);
        const output = { exitCode: run.exitCode, durationMs: run.durationMs, reason: run.reason };
        let fileText: string | null = null;
        let problem: string | undefined;
        try {
          fileText = ctx.workdir ? readHandoffFile(ctx.workdir, 'result.json', MAX_RESULT_BYTES) : null;
        } catch (error) {
          problem = toAuraError(error).message;
        }
        const parsed = problem ? { ok: false as const, problem } : parseCliAgentResult(fileText, run.stdout);
        if (parsed.ok && parsed.result.telemetry) {
          const r = parsed.result.telemetry;
          t.tokensIn = r.tokensIn ?? 0;
          t.tokensOut = r.tokensOut ?? 0;
          t.model = r.model ?? profile.model;
          t.costUsd = r.costUsd ?? (t.tokensIn * profile.costTable.inputPerMTok + t.tokensOut * profile.costTable.outputPerMTok) / 1e6;
        }
        if (run.exitCode !== 0) {
          const said = parsed.ok ? ` It said: ${parsed.result.summary}` : '';
          return { status: 'failed', summary: `The agent exited with code ${run.exitCode}.${said}${run.stderr.trim() ? ` stderr: ${tailOf(run.stderr)}` : ''}`, telemetry: t, output };
        }
        if (!parsed.ok) {
          await runlog.add({ kind: 'note', command: 'result refused', stderr: parsed.problem });
          return { status: 'failed', summary: parsed.problem, telemetry: t, output };
        }
        const r = parsed.result;
        return { status: r.status, summary: r.summary, claimsChecksPassed: r.claimsChecksPassed, output: { ...output, result: r.output ?? null, resultFrom: parsed.source }, telemetry: t };
      },
    };
  };
}
