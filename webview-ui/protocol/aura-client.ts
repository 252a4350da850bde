// The console's MCP client: connects over Streamable HTTP with a bearer token, calls tools, reads and subscribes to resources.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { ResourceListChangedNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

export type ConnectFailure = 'unreachable' | 'unauthorized' | 'error';

/** A failure to connect, classified so the console can offer the right next step. */
export class AuraConnectError extends Error {
  constructor(
    readonly kind: ConnectFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AuraConnectError';
  }
}

/** A tool that ran and failed (`isError: true`): its message is meant for the person. */
export class AuraToolError extends Error {
  constructor(
    readonly tool: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuraToolError';
  }
}

export interface AuraClientOptions {
  url: string;
  token?: string;
  clientName: string;
  clientVersion: string;
  /** The fetch to use (the browser's, or one that adds cookies); defaults to the global one. */
  fetch?: typeof fetch;
  /**
   * Whether to list the tools while connecting (default true), so `tools` and `hasTool` answer at once. A one-call
   * client (the CLI) passes false and saves the tools/list round trip; it asks `listTools()` when it needs to know.
   */
  listTools?: boolean;
}

type Listener<T> = (value: T) => void;

export interface AuraClient {
  readonly url: string;
  /** The tools offered to this token (empty until listed: see AuraClientOptions.listTools). */
  readonly tools: ReadonlySet<string>;
  /** Whether the server offers `name`; throws if the tools were not listed (connected with listTools: false). */
  hasTool(name: string): boolean;
  /** Lists the tools (once; later calls answer the same set). */
  listTools(): Promise<ReadonlySet<string>>;
  /** Calls a tool and returns its structured content (or its text parsed as JSON); throws AuraToolError on isError. */
  call(tool: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Reads a resource whose contents are JSON text. */
  read(uri: string): Promise<unknown>;
  subscribe(uri: string): Promise<void>;
  unsubscribe(uri: string): Promise<void>;
  onUpdated(listener: Listener<string>): () => void;
  onListChanged(listener: Listener<void>): () => void;
  onClosed(listener: Listener<void>): () => void;
  close(): Promise<void>;
}

/** Classifies a connect error: nothing listening, a refused token, or anything else. */
export function classifyConnectError(error: unknown): ConnectFailure {
  if (error instanceof StreamableHTTPError && (error.code === 401 || error.code === 403)) return 'unauthorized';
  const text = `${(error as Error)?.message ?? ''} ${String((error as { cause?: { code?: string } })?.cause?.code ?? '')}`;
  if (/\b(401|403)\b|unauthori[sz]ed|forbidden/i.test(text)) return 'unauthorized';
  if (/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|fetch failed|Failed to fetch|NetworkError|socket hang up/i.test(text)) return 'unreachable';
  return 'error';
}

export async function connectAuraClient(options: AuraClientOptions): Promise<AuraClient> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    requestInit: { headers },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // Tool outputs are checked against their outputSchema by a validator that compiles no code: the dashboard's
  // CSP (no 'unsafe-eval') forbids the default one's generated functions.
  const client = new Client({ name: options.clientName, version: options.clientVersion }, { capabilities: {}, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  const updated = new Set<Listener<string>>();
  const listChanged = new Set<Listener<void>>();
  const closed = new Set<Listener<void>>();
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => updated.forEach((l) => l(n.params.uri)));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => listChanged.forEach((l) => l()));
  client.onclose = () => closed.forEach((l) => l());
  try {
    await client.connect(transport);
  } catch (error) {
    await client.close().catch(() => undefined); // the failed transport has nothing worth reporting on close
    const kind = classifyConnectError(error);
    const why = kind === 'unreachable' ? 'nothing answers there' : kind === 'unauthorized' ? 'the server refused the token' : (error as Error).message;
    throw new AuraConnectError(kind, `Cannot connect to ${options.url}: ${why}`, { cause: error });
  }
  const tools = new Set<string>();
  let listed: Promise<ReadonlySet<string>> | undefined;
  const listTools = () =>
    (listed ??= client.listTools().then((answer) => {
      for (const t of answer.tools) tools.add(t.name);
      return tools;
    }));
  if (options.listTools !== false) await listTools();
  const subscribed = new Set<string>();
  const canSubscribe = Boolean(client.getServerCapabilities()?.resources?.subscribe);
  const on = <T>(set: Set<Listener<T>>, l: Listener<T>) => {
    set.add(l);
    return () => void set.delete(l);
  };

  return {
    url: options.url,
    tools,
    hasTool(name) {
      if (!listed) throw new Error('The tools were not listed: call listTools() first (connected with listTools: false).');
      return tools.has(name);
    },
    listTools,
    async call(tool, args = {}) {
      const result = await client.callTool({ name: tool, arguments: args });
      const text = Array.isArray(result.content)
        ? result.content.map((c) => (c && typeof c === 'object' && 'text' in c ? String(c.text) : '')).join('\n')
        : '';
      if (result.isError) throw new AuraToolError(tool, text || `${tool} failed`);
      if (result.structuredContent !== undefined) return result.structuredContent;
      try {
        return JSON.parse(text);
      } catch {
        return text; // a tool without structured output answers in words
      }
    },
    async read(uri) {
      const result = await client.readResource({ uri });
      const first = result.contents[0];
      if (!first || !('text' in first) || typeof first.text !== 'string') return undefined;
      return JSON.parse(first.text);
    },
    async subscribe(uri) {
      if (!canSubscribe || subscribed.has(uri)) return;
      subscribed.add(uri);
      await client.subscribeResource({ uri });
    },
    async unsubscribe(uri) {
      if (!subscribed.delete(uri)) return;
      await client.unsubscribeResource({ uri });
    },
    onUpdated: (l) => on(updated, l),
    onListChanged: (l) => on(listChanged, l),
    onClosed: (l) => on(closed, l),
    async close() {
      // Ends the server's session (DELETE) so it is freed, then closes the transport.
      await transport.terminateSession().catch(() => undefined); // a server already gone has nothing to free
      await client.close();
    },
  };
}
