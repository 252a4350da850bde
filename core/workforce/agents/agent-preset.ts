// What a preset knows about one real coding agent: its package, its headless command line, its environment, its outcome.
import type { GatewayProtocol } from '../../gateway/model-gateway';
import type { AgentName } from './agent-names';

/** Where the agent reaches its model: the gateway's base URL for the agent's protocol and the attempt's token. */
export interface AgentModelAccess {
  baseUrl: string;
  token: string;
  model: string;
}

/** What the agent said about its own run, read from its JSON output (the worker trusts only the exit code and the diff). */
export interface AgentOutcome {
  /** Its last message, or what went wrong, in its words. */
  summary: string;
  /** Whether its own output says it finished without an error (besides the exit code). */
  ok: boolean;
  /** Turns or tool calls it reports, when it reports them. */
  turns?: number;
}

export interface AgentPreset {
  name: AgentName;
  /** The npm registry package and the version this preset was tested with (what `aura images build --agent` installs). */
  package: string;
  testedVersion: string;
  /** The executable, its path relative to node_modules. Package install scripts never run (the host runs no code of
   * the package), so an agent whose postinstall puts a native binary in place names that binary itself. */
  bin: { name: string; path: string };
  /** The wire protocol it speaks to its model, so the gateway base URL it gets is the right one. */
  protocol: GatewayProtocol;
  /** Files the agent's image carries (settings that turn off telemetry, update checks and usage statistics). */
  imageFiles: Record<string, string>;
  /** The command line run in /workspace; the prompt comes on standard input. */
  command(model: string, access: AgentModelAccess): string[];
  /** The environment that points it at the gateway and keeps it quiet; the token is the only credential in it. */
  environment(access: AgentModelAccess): Record<string, string>;
  /** Reads its JSON output; null when stdout holds nothing it recognises. */
  readOutcome(stdout: string): AgentOutcome | null;
}

/** Parses one JSON value, or null. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The JSON values of a JSON-lines text, skipping lines that are not JSON (agents print notices between events). */
export function jsonLines(text: string): unknown[] {
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{') && !t.startsWith('[')) continue;
    const value = parseJson(t);
    if (value !== null) out.push(value);
  }
  return out;
}

/** The last JSON object in `text` that starts at the beginning of a line (agents may print notices before it). */
export function lastJsonDocument(text: string): unknown {
  const whole = parseJson(text.trim());
  if (whole !== null) return whole;
  const starts = [...text.matchAll(/^[{[]/gm)].map((m) => m.index!);
  for (let i = starts.length - 1; i >= 0; i--) {
    const value = parseJson(text.slice(starts[i]).trim());
    if (value !== null) return value;
  }
  return null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
