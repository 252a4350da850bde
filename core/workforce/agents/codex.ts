// Codex (@openai/codex): `codex exec` with approvals and its own sandbox off (the container is the sandbox), JSON-lines events.
import { type AgentPreset, isRecord, jsonLines } from './agent-preset';

/** A TOML basic string (codex parses each -c value as TOML). */
const toml = (s: string) => JSON.stringify(s);

export const codex: AgentPreset = {
  name: 'codex',
  package: '@openai/codex',
  testedVersion: '0.171.0',
  bin: { name: 'codex', path: '@openai/codex/bin/codex.js' },
  protocol: 'openai',
  imageFiles: {},
  // Codex ignores OPENAI_BASE_URL for its built-in provider, so the gateway is a provider of its own, named in -c
  // overrides; it speaks the Responses API. `-` reads the prompt from stdin.
  command: (model, access) => [
    'codex',
    'exec',
    '--dangerously-bypass-approvals-and-sandbox',
    '--skip-git-repo-check',
    '--json',
    '--model',
    model,
    '-c',
    'model_provider="aura"',
    '-c',
    `model_providers.aura={name="Aura gateway",base_url=${toml(access.baseUrl)},env_key="OPENAI_API_KEY",wire_api="responses"}`,
    '-c',
    'analytics.enabled=false',
    '-c',
    'check_for_update_on_startup=false',
    '-',
  ],
  environment: (access) => ({ OPENAI_API_KEY: access.token, SHELL: '/bin/bash', NO_COLOR: '1' }),
  // --json prints events, one a line: item.completed with an agent_message item carries its words; turn.failed or
  // error events say what went wrong.
  readOutcome(stdout) {
    const events = jsonLines(stdout).filter(isRecord);
    if (!events.length) return null;
    let last: string | undefined;
    let failure: string | undefined;
    let turns = 0;
    for (const e of events) {
      if (e.type === 'item.completed' && isRecord(e.item) && e.item.type === 'agent_message' && typeof e.item.text === 'string') last = e.item.text;
      if (e.type === 'turn.completed') turns++;
      if (e.type === 'turn.failed' && isRecord(e.error)) failure = String(e.error.message ?? 'the turn failed');
    }
    if (failure) return { summary: `Codex failed: ${failure}`, ok: false, turns };
    return { summary: last ?? 'Codex finished without a final message.', ok: last !== undefined, turns };
  },
};
