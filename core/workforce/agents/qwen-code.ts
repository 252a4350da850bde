// Qwen Code (@qwen-code/qwen-code): headless with --yolo over the OpenAI Chat Completions protocol, JSON output.
import { type AgentPreset, isRecord, lastJsonDocument } from './agent-preset';

const settingsPath = '/etc/aura/agents/qwen-code/settings.json';

/** System settings (the image's, read-only): no telemetry, no usage statistics, no update checks. */
const settings = {
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { disableAutoUpdate: true, disableUpdateNag: true },
};

export const qwenCode: AgentPreset = {
  name: 'qwen-code',
  package: '@qwen-code/qwen-code',
  testedVersion: '0.24.4',
  bin: { name: 'qwen', path: '@qwen-code/qwen-code/cli-entry.js' },
  protocol: 'openai',
  imageFiles: { [settingsPath]: JSON.stringify(settings, null, 2) + '\n' },
  // Not `--approval-mode auto`: that lets a model classifier answer its permission prompts, which Aura never allows.
  command: (model) => ['qwen', '--yolo', '--output-format', 'json', '--auth-type', 'openai', '--model', model],
  environment: (access) => ({
    OPENAI_BASE_URL: access.baseUrl,
    OPENAI_API_KEY: access.token,
    OPENAI_MODEL: access.model,
    QWEN_CODE_SYSTEM_SETTINGS_PATH: settingsPath,
    QWEN_TELEMETRY_ENABLED: 'false',
    QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
    SHELL: '/bin/bash',
    NO_COLOR: '1',
  }),
  // -o json prints the session's messages as one JSON array ending in {type: 'result', is_error, result, num_turns},
  // or, on a fatal error, {error: {type, message, code}}.
  readOutcome(stdout) {
    const doc = lastJsonDocument(stdout);
    if (isRecord(doc) && isRecord(doc.error)) return { summary: `Qwen Code failed: ${String(doc.error.message ?? 'unknown error')}`, ok: false };
    const result = Array.isArray(doc) ? doc.findLast((m) => isRecord(m) && m.type === 'result') : doc;
    if (!isRecord(result) || result.type !== 'result') return null;
    const text = typeof result.result === 'string' && result.result.trim() ? result.result : `Qwen Code ended: ${String(result.subtype ?? 'no result')}`;
    return { summary: text, ok: result.is_error !== true, turns: typeof result.num_turns === 'number' ? result.num_turns : undefined };
  },
};
