// Serves one MCP session on stdio until stdin ends or a signal comes; then closes the session (the caller, the rest).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Principal } from '../../auth/roles';
import { MAX_MESSAGE_BYTES } from '../input-limits';
import type { McpRuntime } from '../mcp-runtime';
import type { ToolSelection } from '../tool-sets';

/** Resolves when the client has gone (stdin closed) or SIGTERM/SIGINT arrived, with what ended it. */
export async function serveStdio(runtime: McpRuntime, principal: Principal, selection: ToolSelection): Promise<string> {
  const session = runtime.openSession(principal, selection, 'stdio');
  const transport = new StdioServerTransport(process.stdin, process.stdout, { maxBufferSize: MAX_MESSAGE_BYTES });
  await session.server.connect(transport);
  runtime.logger.info({ role: principal.role, tools: runtime.tools.length }, 'aura mcp is serving on stdio');
  const why = await new Promise<string>((resolve) => {
    // A client that goes away while we write (EPIPE) would otherwise crash the process with an unhandled 'error'.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => resolve(`stdout closed (${error.code ?? error.message})`));
    process.stdin.once('end', () => resolve('stdin closed'));
    process.stdin.once('close', () => resolve('stdin closed'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  runtime.logger.info({ why }, 'aura mcp stopping');
  await session.close().catch(() => undefined);
  return why;
}
