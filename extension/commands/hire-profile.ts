// The hire_employee arguments from the answers of the hire quick-pick flow (plain, so it can be tested without VS Code).
import { protocolKeyVariables } from '../../core/gateway/model-gateway';
import { agentPresets } from '../../core/workforce/agents/agent-registry';
import type { AgentName } from '../../core/workforce/agents/agent-names';
import { apiKeyProviders } from '../secrets';

const suggestedAgentModels: Record<AgentName, string[]> = {
  'claude-code': ['claude-sonnet-4-5', 'claude-opus-4-1'],
  codex: ['gpt-5-codex', 'gpt-5'],
  'gemini-cli': ['gemini-2.5-pro', 'gemini-2.5-flash'],
  'qwen-code': ['qwen3-coder-plus', 'qwen3-coder-flash'],
};

/**
 * What the hire flow offers for each coding agent: its package and tested version, models to start from, and the key
 * its model protocol takes (the gateway injects it upstream; the agent's container never sees it).
 */
export const agentChoices = (Object.keys(agentPresets) as AgentName[]).map((name) => {
  const preset = agentPresets[name];
  return { name, description: `${preset.package}@${preset.testedVersion}, through the gateway (${preset.protocol})`, keyVar: protocolKeyVariables[preset.protocol], models: suggestedAgentModels[name] };
});

export interface HireAnswers {
  provider: string;
  model: string;
  name: string;
  skills: string;
  /** provider cli: a coding agent hired as it is (a preset). */
  agent?: string;
  /** provider cli: an own command line speaking the aura.cli-agent/1 protocol, split on whitespace. */
  command?: string;
}

/** The hire_employee profile from the answers of the quick-pick flow. */
export function hireProfile(answers: HireAnswers): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    name: answers.name.trim(),
    provider: answers.provider,
    model: answers.model.trim(),
    skills: answers.skills.split(',').map((s) => s.trim()).filter(Boolean),
  };
  const agent = answers.provider === 'cli' ? agentChoices.find((a) => a.name === answers.agent) : undefined;
  if (agent) {
    // The agent reaches its model through the gateway, which holds the key; its container gets only a token.
    profile.agent = agent.name;
    profile.apiKeyRef = `env:${agent.keyVar}`;
    return profile;
  }
  if (answers.provider === 'cli' && answers.agent) profile.agent = answers.agent; // unknown: the server names the choices
  const command = answers.command?.trim().split(/\s+/).filter(Boolean);
  if (answers.provider === 'cli' && command?.length) profile.command = command;
  const keyVar = apiKeyProviders[answers.provider as keyof typeof apiKeyProviders];
  if (keyVar) {
    profile.apiKeyRef = `env:${keyVar}`;
    profile.egress = true; // a hosted model is reached over the network
  }
  return profile;
}
