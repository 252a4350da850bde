// Throws generated bad arguments at every tool through a real client: each must end in a clear error, changing nothing.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { badInputs, CLEAR_TOOL_ERROR } from './bad-inputs';
import { callOk } from './tool-scenarios';

/** Per tool; the whole suite runs this many × tools × transports calls (AURA_FUZZ_RUNS to change). */
export const FUZZ_RUNS = Number(process.env.AURA_FUZZ_RUNS ?? 100);

async function lastEventId(client: Client): Promise<number> {
  let after = 0;
  for (;;) {
    const page = await callOk<{ events: Array<{ id: number }>; nextCursor: number | null }>(client, 'query_events', { after, limit: 500 });
    if (page.events.length) after = page.events.at(-1)!.id;
    if (page.nextCursor === null) return after;
  }
}

/** Why an outcome is not a clear refusal, or undefined when it is one. */
function unclear(outcome: CallToolResult | unknown): string | undefined {
  if (outcome instanceof McpError) {
    if (outcome.code !== -32602) return `protocol error ${outcome.code} (expected InvalidParams): ${outcome.message.slice(0, 300)}`;
    if (/\n\s+at /.test(outcome.message)) return 'the message carries a stack trace';
    return undefined;
  }
  const result = outcome as CallToolResult;
  if (result && Array.isArray(result.content)) {
    if (!result.isError) return 'the call succeeded';
    const text = (result.content[0] as { text?: string })?.text ?? '';
    if (!CLEAR_TOOL_ERROR.test(text)) return `unclear tool error: ${text.slice(0, 300)}`;
    if (/\n\s+at /.test(text)) return 'the message carries a stack trace';
    return undefined;
  }
  return `transport failure: ${(outcome as Error)?.message ?? String(outcome)}`;
}

/**
 * Fuzzes every tool `client` lists. `auditor` (a client that may call query_events, on the same database) checks after
 * each call that nothing was recorded; without one the check is skipped (an employee token cannot read the log).
 */
export async function fuzzEveryTool(client: Client, seeds: Record<string, Record<string, unknown>>, auditor?: Client, runs = FUZZ_RUNS): Promise<number> {
  const tools: Tool[] = (await client.listTools()).tools;
  assert.deepEqual(tools.map((t) => t.name).filter((n) => !(n in seeds)), [], 'every tool has a seed call');
  let cursor = auditor ? await lastEventId(auditor) : 0;
  let calls = 0;
  for (const tool of tools) {
    await fc.assert(
      fc.asyncProperty(badInputs(tool.inputSchema as never, seeds[tool.name]!), async (bad) => {
        calls++;
        const outcome = await client.callTool({ name: tool.name, arguments: bad.args }).then(
          (r) => r as CallToolResult,
          (e: unknown) => e,
        );
        const problem = unclear(outcome);
        if (problem) throw new Error(`${tool.name} (${bad.kind}): ${problem}`);
        // Never half-applied: a refused call appended nothing to the log.
        if (!auditor) return;
        const after = await callOk<{ events: Array<{ id: number; type: string }> }>(auditor, 'query_events', { after: cursor, limit: 5 });
        if (after.events.length) {
          cursor = after.events.at(-1)!.id;
          throw new Error(`${tool.name} (${bad.kind}) was refused yet recorded ${after.events.map((e) => e.type).join(', ')}`);
        }
      }),
      { numRuns: runs },
    );
  }
  return calls;
}
