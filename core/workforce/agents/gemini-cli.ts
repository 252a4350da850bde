// Gemini CLI (@google/gemini-cli): headless with --yolo, its settings baked into the image, JSON output.
import { type AgentPreset, isRecord, lastJsonDocument } from './agent-preset';

const settingsPath = '/etc/aura/agents/gemini-cli/settings.json';

/** System settings (the image's, read-only): no telemetry, no usage statistics, no update checks, API-key auth. */
const settings = {
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { disableAutoUpdate: true, disableUpdateNag: true },
  security: { auth: { selectedType: 'gemini-api-key' } },
};

export const geminiCli: AgentPreset = {
  name: 'gemini-cli',
  package: '@google/gemini-cli',
  testedVersion: '0.61.0',
  bin: { name: 'gemini', path: '@google/gemini-cli/bundle/gemini.js' },
  protocol: 'gemini',
  imageFiles: { [settingsPath]: JSON.stringify(settings, null, 2) + '\n' },
  // Without a TTY it reads the prompt from stdin and runs headless; --yolo approves its tools (the container is the sandbox).
  command: (model) => ['gemini', '--yolo', '--output-format', 'json', '--model', model],
  environment: (access) => ({
    GOOGLE_GEMINI_BASE_URL: access.baseUrl,
    GEMINI_API_KEY: access.token,
    GEMINI_CLI_SYSTEM_SETTINGS_PATH: settingsPath,
    // /workspace is the attempt's own worktree: trusting it is what lets --yolo stand (untrusted folders fall back to prompting).
    GEMINI_CLI_TRUST_WORKSPACE: 'true',
    GEMINI_TELEMETRY_ENABLED: 'false',
    SHELL: '/bin/bash',
    NO_COLOR: '1',
  }),
  // -o json prints {session_id, response, stats} or {session_id, error: {type, message, code}}.
  readOutcome(stdout) {
    const doc = lastJsonDocument(stdout);
    if (!isRecord(doc)) return null;
    if (isRecord(doc.error)) return { summary: `Gemini CLI failed: ${String(doc.error.message ?? 'unknown error')}`, ok: false };
    if (typeof doc.response !== 'string') return null;
    return { summary: doc.response.trim() || 'Gemini CLI finished without a final message.', ok: true };
  },
};
