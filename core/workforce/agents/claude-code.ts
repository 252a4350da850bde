// Claude Code (@anthropic-ai/claude-code): `claude -p` in print mode, permissions bypassed inside its container, JSON result.
import { type AgentPreset, isRecord, lastJsonDocument } from './agent-preset';

export const claudeCode: AgentPreset = {
  name: 'claude-code',
  package: '@anthropic-ai/claude-code',
  testedVersion: '2.1.332',
  bin: { name: 'claude', path: '@anthropic-ai/claude-code-linux-x64/claude' },
  protocol: 'anthropic',
  imageFiles: {},
  // -p reads the prompt from stdin; bypassing its permission prompts is safe only because the container is the sandbox
  // (it refuses the flag as root, and containers never run as root).
  command: (model) => ['claude', '-p', '--dangerously-skip-permissions', '--output-format', 'json', '--model', model, '--no-session-persistence'],
  environment: (access) => ({
    ANTHROPIC_BASE_URL: access.baseUrl,
    ANTHROPIC_API_KEY: access.token,
    SHELL: '/bin/bash',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_BUG_COMMAND: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  }),
  // --output-format json prints one result object: {type: 'result', subtype, is_error, result, num_turns, ...}.
  readOutcome(stdout) {
    const doc = lastJsonDocument(stdout);
    const result = Array.isArray(doc) ? doc.findLast((m) => isRecord(m) && m.type === 'result') : doc;
    if (!isRecord(result) || result.type !== 'result') return null;
    const text = typeof result.result === 'string' && result.result.trim() ? result.result : `Claude Code ended: ${String(result.subtype ?? 'no result')}`;
    return { summary: text, ok: result.is_error !== true && result.subtype === 'success', turns: typeof result.num_turns === 'number' ? result.num_turns : undefined };
  },
};
