// The coding agents Aura knows how to hire as they are (presets), by the name a profile gives in `agent`.
export const agentNames = ['claude-code', 'codex', 'gemini-cli', 'qwen-code'] as const;
export type AgentName = (typeof agentNames)[number];
