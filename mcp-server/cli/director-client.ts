// The Director's client commands reach a running `aura serve` through the console's one MCP client.
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config/config';
import { envNames } from '../../core/config/env-names';
import { AuraError } from '../../core/domain/errors';
import { AuraConnectError, type AuraClient, AuraToolError, connectAuraClient } from '../../webview-ui/protocol/aura-client';
import { readLocalToken } from '../auth/local-token';
import { runningServe } from '../mcp/stdio/running-serve';
import { exitCodes, fromToolMessage, withExitCode } from './command-kit';

export interface ServerOptions {
  server?: string;
  tokenFile?: string;
  json?: boolean;
}

/** Adds the options every client command takes: where the server is, which token, and JSON output. */
export function serverOptions(command: Command): Command {
  return command
    .option('--server <url>', `MCP endpoint of aura serve (default: ${envNames.serverUrl}, else this machine's running aura serve)`)
    .option('--token-file <path>', `file holding the bearer token (default: ${envNames.mcpToken}, else this machine's local Director token)`)
    .option('--json', 'print JSON instead of text');
}

/** Where to connect and with which token: flags, then the environment, then this machine's `aura serve`. */
export function resolveServer(options: ServerOptions): { url: string; token?: string; source: string } {
  const config = loadConfig();
  const serve = runningServe(config.home);
  const url = options.server ?? config.serverUrl ?? serve?.mcpUrl ?? `http://127.0.0.1:${config.mcpPort}/mcp`;
  const source = options.server ? '--server' : config.serverUrl ? envNames.serverUrl : serve ? `${config.home}/serve.json` : 'the default port';
  let token: string | undefined;
  if (options.tokenFile) {
    try {
      token = fs.readFileSync(options.tokenFile, 'utf8').trim();
    } catch (error) {
      throw new AuraError('invalid_input', `--token-file ${options.tokenFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    if (!token) throw new AuraError('invalid_input', `--token-file ${options.tokenFile} is empty.`);
  }
  token ??= config.mcpToken ?? readLocalToken(config.secretsDir);
  return { url, token, source };
}

export async function connectDirector(options: ServerOptions): Promise<AuraClient> {
  const { url, token, source } = resolveServer(options);
  try {
    // One call per command: the tools are listed only by a command that asks (listTools), not on every connect.
    return await connectAuraClient({ url, token, clientName: 'aura-cli', clientVersion: '0.1.0', listTools: false });
  } catch (error) {
    if (!(error instanceof AuraConnectError)) throw error;
    if (error.kind === 'unreachable') {
      throw withExitCode(
        new AuraError('unavailable', `Nothing answers at ${url} (from ${source}). Start the orchestrator with "aura serve", or point --server / ${envNames.serverUrl} at it.`),
        exitCodes.unreachable,
      );
    }
    if (error.kind === 'unauthorized') {
      throw new AuraError('unauthorized', `${url} refused the token${token ? '' : ' (none was found)'}. Pass --token-file, set ${envNames.mcpToken}, or create one with "aura tokens create --role director".`);
    }
    throw new AuraError('unavailable', error.message, { cause: error });
  }
}

/** Connects, runs `body`, always closes the session; a tool's failure becomes an AuraError with its own code. */
export async function withDirector<T>(options: ServerOptions, body: (client: AuraClient) => Promise<T>): Promise<T> {
  const client = await connectDirector(options);
  try {
    return await body(client);
  } catch (error) {
    if (error instanceof AuraToolError) throw fromToolMessage(error.message);
    // The SDK's protocol errors (-32602 invalid params) are the caller's input, not our bug.
    if ((error as { code?: unknown }).code === -32602) throw new AuraError('invalid_input', (error as Error).message.replace(/^MCP error -32602: /, ''));
    throw error;
  } finally {
    await client.close().catch(() => undefined); // the session is freed by the server's idle sweep if this fails
  }
}
