// Launches a real coding agent from its preset: the prompt on stdin, its model calls through a per-attempt gateway grant.
// The key stays on the host (the container holds only the grant's token); usage comes from the grant, not the agent.
import { AuraError } from '../../domain/errors';
import type { GatewayGrant, ModelGateway } from '../../gateway/model-gateway';
import { buildAgentPrompt } from '../agents/agent-prompt';
import { agentImage, agentPreset } from '../agents/agent-registry';
import type { Employee } from '../employee';
import type { Telemetry } from '../worker';
import { type AgentLauncher, tailOf } from './agent-launch';

export interface PresetLauncherOptions {
  employee: Employee;
  /** Opens the attempt's access to its model; without it an agent preset cannot be run. */
  gateway?: ModelGateway;
}

function telemetryOf(grant: GatewayGrant, durationMs: number, fallbackModel: string): Telemetry {
  const u = grant.usage();
  return { tokensIn: u.tokensIn, tokensOut: u.tokensOut, latencyMs: durationMs, costUsd: u.costUsd, model: u.models[0] ?? fallbackModel };
}

export function createPresetLauncher(options: PresetLauncherOptions): AgentLauncher {
  const { employee, gateway } = options;
  const profile = employee.profile;
  const preset = agentPreset(profile.agent!);
  return async (assignment, context) => {
    if (!gateway) throw new AuraError('config', `Employee "${profile.name}" runs the ${preset.name} agent, whose model calls go through the model gateway, and this server has none (start it with aura serve).`);
    const grant = await gateway.grant(assignment);
    const access = { baseUrl: grant.baseUrls[preset.protocol], token: grant.token, model: profile.model };
    const command = preset.command(profile.model, access);
    const image = profile.image ?? agentImage(preset);
    const usage = (durationMs: number) => telemetryOf(grant, durationMs, profile.model);
    return {
      image,
      command,
      shown: command.join(' '),
      stdin: buildAgentPrompt(assignment, Boolean(context.workdir)),
      // HOME on the container's tmpfs: agents keep their session files there, and they vanish with the container.
      env: { HOME: '/tmp', ...preset.environment(access) },
      redact: [grant.token],
      // The gateway listens on the host; the engine's egress network is how the container reaches it.
      network: 'egress',
      recordArgs: { agent: preset.name, command: command.join(' '), image },
      onAbort: (stop) => grant.onRefusal(() => stop()),
      telemetry: (run) => usage(run.durationMs),
      stopped(run) {
        const refusal = grant.refusal();
        if (!refusal) return null;
        const summary = `${refusal.reason === 'replay_miss' ? 'Replay miss' : 'Over budget'}: the gateway refused a model call (${refusal.reason}: ${refusal.message}) and the agent was stopped.`;
        return { status: 'failed', summary, telemetry: usage(run.durationMs), output: { agent: preset.name, exitCode: run.exitCode, durationMs: run.durationMs, reason: run.reason, refusal } };
      },
      async result(run, _ctx, runlog) {
        const outcome = preset.readOutcome(run.stdout);
        const output = { agent: preset.name, exitCode: run.exitCode, durationMs: run.durationMs, reason: run.reason, turns: outcome?.turns ?? null, calls: grant.usage().calls };
        const telemetry = usage(run.durationMs);
        if (!outcome) await runlog.add({ kind: 'note', command: `${preset.name} output not recognised`, stderr: 'Its JSON output mode printed nothing this preset can read; the exit code decides.' });
        if (run.exitCode !== 0 || (outcome && !outcome.ok)) {
          const said = outcome ? ` ${outcome.summary}` : '';
          return { status: 'failed', summary: `${preset.name} exited with code ${run.exitCode}.${said}${!outcome && run.stderr.trim() ? ` stderr: ${tailOf(run.stderr)}` : ''}`, telemetry, output };
        }
        // The agent's claim about its checks is not asked for: the Auditor runs the acceptance commands itself.
        return { status: 'succeeded', summary: outcome?.summary ?? `${preset.name} finished (exit 0).`, telemetry, output };
      },
      close: () => grant.revoke(),
    };
  };
}
