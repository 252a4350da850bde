// The agent presets by name, and the image each runs in (built by `aura images build --agent NAME`).
import { AuraError } from '../../domain/errors';
import type { AgentName } from './agent-names';
import type { AgentPreset } from './agent-preset';
import { claudeCode } from './claude-code';
import { codex } from './codex';
import { geminiCli } from './gemini-cli';
import { qwenCode } from './qwen-code';

export const agentPresets: Readonly<Record<AgentName, AgentPreset>> = Object.freeze({
  'claude-code': claudeCode,
  codex,
  'gemini-cli': geminiCli,
  'qwen-code': qwenCode,
});

export function agentPreset(name: string): AgentPreset {
  const preset = (agentPresets as Record<string, AgentPreset | undefined>)[name];
  if (!preset) throw new AuraError('invalid_input', `Unknown agent "${name}"; expected one of ${Object.keys(agentPresets).join(', ')}.`);
  return preset;
}

/** The image an agent employee runs in when its profile names none: the one built from the preset's tested version. */
export function agentImage(preset: AgentPreset, version = preset.testedVersion): string {
  return `aura/agent-${preset.name}:${version}`;
}
