// Relays an stdio MCP connection to a running server's Streamable HTTP endpoint, message for message.
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../../core/observability/logger';
import { MAX_MESSAGE_BYTES } from '../input-limits';

export interface RelayOptions {
  url: string;
  token: string;
  logger: Logger;
  stdin?: NodeJS.ReadableStream & { on: Function };
  stdout?: NodeJS.WritableStream;
}

/** The JSON-RPC error a refused HTTP request becomes, so the stdio client gets an answer, not silence. */
function errorFor(message: JSONRPCMessage, error: unknown): JSONRPCMessage | undefined {
  if (!isJSONRPCRequest(message)) return undefined;
  let code = -32000;
  let text = error instanceof Error ? error.message : String(error);
  if (error instanceof StreamableHTTPError) {
    const body = /\{.*\}$/s.exec(text)?.[0];
    try {
      const parsed = body ? (JSON.parse(body) as { error?: { code?: number; message?: string } }) : undefined;
      if (parsed?.error?.message) text = `HTTP ${error.code}: ${parsed.error.message}`;
      if (typeof parsed?.error?.code === 'number') code = parsed.error.code;
    } catch {
      // Not a JSON-RPC body: keep the transport's own message.
    }
  }
  return { jsonrpc: '2.0', id: message.id, error: { code, message: text } };
}

/** Runs until stdin ends or the server goes away; resolves with the exit code. */
export function relayStdioToHttp(options: RelayOptions): Promise<number> {
  const { logger } = options;
  const stdio = new StdioServerTransport(options.stdin as never, options.stdout as never, { maxBufferSize: MAX_MESSAGE_BYTES });
  const http = new StreamableHTTPClientTransport(new URL(options.url), { requestInit: { headers: { authorization: `Bearer ${options.token}` } } });
  return new Promise<number>((resolve) => {
    let done = false;
    const finish = async (code: number) => {
      if (done) return;
      done = true;
      await http.terminateSession().catch(() => undefined);
      await http.close().catch(() => undefined);
      await stdio.close().catch(() => undefined);
      resolve(code);
    };
    const initializeIds = new Set<string | number>();
    stdio.onmessage = (message) => {
      if (isJSONRPCRequest(message) && message.method === 'initialize') initializeIds.add(message.id);
      http.send(message).catch(async (error) => {
        logger.warn({ err: (error as Error).message }, 'relay: the server refused a message');
        const reply = errorFor(message, error);
        if (reply) await stdio.send(reply).catch(() => undefined);
        if (error instanceof TypeError) void finish(1); // fetch failed: the server is gone
      });
    };
    http.onmessage = (message) => {
      // The HTTP transport must send the negotiated version on every later request, as the SDK's Client does.
      if (isJSONRPCResultResponse(message) && initializeIds.delete(message.id)) {
        const version = (message.result as { protocolVersion?: string }).protocolVersion;
        if (version) http.setProtocolVersion(version);
      }
      stdio.send(message).catch(() => void finish(0));
    };
    http.onerror = (error) => logger.debug({ err: error.message }, 'relay: HTTP transport error');
    stdio.onerror = (error) => logger.warn({ err: error.message }, 'relay: stdio error');
    http.onclose = () => void finish(1);
    stdio.onclose = () => void finish(0);
    // A client that goes away while we write (EPIPE) ends the relay instead of crashing it.
    (options.stdout ?? process.stdout).on('error', () => void finish(0));
    const input = options.stdin ?? process.stdin;
    input.on('end', () => void finish(0));
    input.on('close', () => void finish(0));
    void http.start().then(() => stdio.start());
  });
}
