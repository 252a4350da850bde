// What the stand-in models answer the real agents: on the task's first turn, the agent's own tools to write the file of
// its scope and run a command; once tool results come back, a short final message. Side calls (no tools) get text.
import type { AgentName } from '../../core/workforce/agents/agent-names';
import type { ProtocolRequest, Scripted, ScriptedToolCall } from '../support/stand-ins/stand-in-server';

/** What each agent's task writes, and the line the acceptance command looks for. */
export function greetingOf(agent: AgentName): { file: string; line: string } {
  return { file: `out/${agent}.txt`, line: `hello from ${agent}` };
}

/**
 * The shell command each agent runs: it shows what its container holds (its environment, and every long word of the
 * files under /tmp, where the agents keep their settings and sessions), so the tool result the agent sends back to
 * its model carries it, and the test reads it at the stand-in.
 */
export const inspectCommand = "cat out/*.txt; echo '--- env'; env | sort; echo '--- /tmp'; find /tmp -type f -size -512k -exec cat {} + 2>/dev/null | tr -c 'A-Za-z0-9_-' '\\n' | grep -E '^.{20,}$' | sort -u | head -n 5000";

function agentOf(request: ProtocolRequest): AgentName | null {
  const m = /Change only files matching these paths:\n- `out\/([a-z-]+)\.txt`/.exec(request.promptText) ?? /out\/(claude-code|codex|gemini-cli|qwen-code)\.txt/.exec(JSON.stringify(request.body));
  return (m?.[1] as AgentName | undefined) ?? null;
}

/** Whether the conversation already holds results of tool calls (each protocol marks them its own way). */
function hasToolResults(request: ProtocolRequest): boolean {
  const body = JSON.stringify(request.body);
  return /"functionResponse"|"tool_result"|"role":"tool"|"function_call_output"/.test(body);
}

/**
 * A task asked "quietly" only writes its file: what a command prints differs from one container to the next (the
 * inspection's host name, token and session files, and the agents' own shell tools report process group ids and
 * durations), and a replay rightly refuses a call whose tool results differ from the record.
 */
function toolCallsFor(agent: AgentName, quiet: boolean): ScriptedToolCall[] {
  const calls = toolsOf(agent);
  return quiet ? calls.slice(0, 1) : calls;
}

function toolsOf(agent: AgentName): ScriptedToolCall[] {
  const { file, line } = greetingOf(agent);
  const absolute = `/workspace/${file}`;
  switch (agent) {
    case 'gemini-cli':
    case 'qwen-code':
      return [
        { name: 'write_file', arguments: { file_path: absolute, content: `${line}\n` } },
        { name: 'run_shell_command', arguments: { command: inspectCommand, description: 'look at the result' } },
      ];
    case 'claude-code':
      return [
        { name: 'Write', arguments: { file_path: absolute, content: `${line}\n` } },
        { name: 'Bash', arguments: { command: inspectCommand, description: 'look at the result' } },
      ];
    case 'codex':
      // Codex has no file tool: it writes files with its shell.
      return [
        { name: 'exec_command', arguments: { cmd: `mkdir -p out && printf '%s\\n' '${line}' > ${file}` } },
        { name: 'exec_command', arguments: { cmd: inspectCommand } },
      ];
  }
}

/** The stand-ins' fallback: the scripted conversation of whichever agent is calling. */
export function agentConversation(request: ProtocolRequest): Scripted {
  const tools = request.body.tools;
  const agent = agentOf(request);
  if (!Array.isArray(tools) || tools.length === 0 || !agent) return { kind: 'answer', text: 'ok', tokensIn: 50, tokensOut: 2 };
  if (hasToolResults(request)) return { kind: 'answer', text: `Wrote ${greetingOf(agent).file}; the command ran.`, tokensIn: 1200, tokensOut: 20 };
  const quiet = /of [a-z-]+ quietly/.test(request.promptText) || /of [a-z-]+ quietly/.test(JSON.stringify(request.body));
  return { kind: 'answer', text: '', toolCalls: toolCallsFor(agent, quiet), tokensIn: 1000, tokensOut: 80 };
}
