// Which tools a session sees: `full`, the small `core` set for agents, or an explicit list of names.
import { AuraError } from '../../core/domain/errors';

/** What an agent driving runs needs; kept small so its tools/list fits a prompt (docs/mcp.md has its size). */
export const CORE_TOOL_NAMES: readonly string[] = [
  'submit_prd',
  'list_runs',
  'get_run',
  'pause_run',
  'resume_run',
  'cancel_run',
  'list_tasks',
  'get_task',
  'retry_task',
  'list_approvals',
  'approve',
  'reject',
  'list_employees',
  'query_events',
  'chat_manager',
  'get_assignment',
  'report_progress',
  'submit_result',
  'ask_manager',
];

export type ToolSelection = { kind: 'full' } | { kind: 'names'; names: ReadonlySet<string> };

/** Parses `full`, `core`, or a comma-separated list of tool names (unknown names are reported, not ignored). */
export function parseToolSelection(value: string | undefined, known: readonly string[], setting: string): ToolSelection {
  const v = (value ?? 'full').trim();
  if (v === '' || v === 'full') return { kind: 'full' };
  if (v === 'core') return { kind: 'names', names: new Set(CORE_TOOL_NAMES) };
  const names = v.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !known.includes(n) && !CORE_TOOL_NAMES.includes(n));
  if (unknown.length) {
    throw new AuraError('invalid_input', `${setting}: unknown tool name(s) ${unknown.join(', ')}. Use "full", "core", or names from docs/mcp.md.`);
  }
  return { kind: 'names', names: new Set(names) };
}

export function selects(selection: ToolSelection, name: string): boolean {
  return selection.kind === 'full' || selection.names.has(name);
}
