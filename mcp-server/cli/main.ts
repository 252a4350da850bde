// The `aura` command line: dispatches to one module per command; errors print one clear line.
import { AuraError, toAuraError } from '../../core/domain/errors';
import { auditCommand } from './audit-command';
import { imagesCommand } from './images-command';
import { mcpCommand } from './mcp-command';
import { migrateCommand } from './migrate-command';
import { serveCommand } from './serve-command';
import { tokensCommand } from './tokens-command';

const usage = `Usage: aura <command>

Commands:
  serve                      Start the orchestrator (API on AURA_API_PORT, default 8000)
  migrate                    Apply pending database migrations
  audit verify [--run ID]    Verify the tamper-evident event log (and its signed checkpoint of heads)
  audit checkpoint           Write the signed checkpoint of every chain head now
  images build [--force]     Build the worker image locally (no registry needed)
  mcp [--tools core|full|a,b] MCP over stdio, as the local Director (relays to a running aura serve)
  tokens create|list|revoke  Bearer tokens for the MCP endpoint (aura tokens create --role director)
`;

type Command = (argv: string[]) => Promise<number | void>;

const commands: Record<string, Command> = {
  serve: () => serveCommand(),
  migrate: () => migrateCommand(),
  audit: (argv) => auditCommand(argv),
  images: (argv) => imagesCommand(argv),
  mcp: (argv) => mcpCommand(argv),
  tokens: (argv) => tokensCommand(argv),
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage);
    return;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  try {
    const code = await command(rest);
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    const e = toAuraError(error);
    process.stderr.write(`aura ${name}: ${e.message}\n`);
    if (!AuraError.is(error) || e.code === 'internal') process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    process.exitCode = e.code === 'invalid_input' ? 2 : 1;
  }
}

if (require.main === module) void main(process.argv.slice(2));
