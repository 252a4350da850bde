// `aura tokens create|list|revoke`: bearer tokens for the MCP endpoint; a token is printed once and stored hashed.
import type { Command } from 'commander';
import { loadConfig } from '../../core/config/config';
import { AuraError } from '../../core/domain/errors';
import { createLogger } from '../../core/observability/logger';
import { openCore } from '../app/open-core';
import { roles } from '../auth/roles';
import { createTokenStore, type TokenInfo } from '../auth/token-store';
import { runningServe } from '../mcp/stdio/running-serve';
import { act } from './command-kit';

interface TokenOptions {
  role?: string;
  name?: string;
  employee?: string;
  expiresDays?: string;
  workspace?: string;
  reason?: string;
  all?: boolean;
  json?: boolean;
}

function row(t: TokenInfo): string {
  const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.expiresAt ? `expires ${t.expiresAt.toISOString()}` : 'active';
  return `${t.id}  ${t.role.padEnd(8)}  ${t.name}${t.employeeId ? ` (employee ${t.employeeId})` : ''}  ${state}  workspace ${t.workspaceId}`;
}

export function register(program: Command): void {
  const tokens = program.command('tokens').description('Bearer tokens for the MCP endpoint (shown once, stored hashed)');
  tokens
    .command('create')
    .description('Create a token')
    .option('--role <role>', `one of ${roles.join(', ')}`)
    .option('--name <name>', 'what the token is for')
    .option('--employee <id>', 'the employee an employee token acts as')
    .option('--expires-days <n>', 'days until it expires')
    .option('--workspace <id>', 'the team workspace it is scoped to (default: default)')
    .option('--json', 'print JSON')
    .action(act('tokens create', (values: TokenOptions) => tokensCommand('create', values, undefined)));
  tokens.command('list').description('List tokens').option('--all', 'include revoked ones').option('--json', 'print JSON').action(act('tokens list', (values: TokenOptions) => tokensCommand('list', values, undefined)));
  tokens
    .command('revoke')
    .description('Revoke a token')
    .argument('<token-id>')
    .option('--reason <text>', 'why')
    .action(act('tokens revoke', (id: string, values: TokenOptions) => tokensCommand('revoke', values, id)));
}

async function tokensCommand(sub: 'create' | 'list' | 'revoke', values: TokenOptions, tokenId: string | undefined): Promise<number> {
  // Arguments are checked before the database is opened: a typo costs nothing.
  const role = values.role;
  if (sub === 'create' && (!role || !(roles as readonly string[]).includes(role))) throw new AuraError('invalid_input', `--role must be one of ${roles.join(', ')}.`);
  const days = values.expiresDays === undefined ? undefined : Number(values.expiresDays);
  const config = loadConfig();
  const serve = config.databaseUrl ? undefined : runningServe(config.home);
  if (serve) {
    throw new AuraError('conflict', `aura serve (pid ${serve.pid}) holds the embedded database. Stop it, manage tokens, then start it again (or use PostgreSQL via DATABASE_URL).`);
  }
  const logger = createLogger({ service: 'tokens', level: 'warn', destination: 'stderr' });
  const core = await openCore({ config, logger, migrate: true });
  const tokens = createTokenStore(core);
  const actor = 'director:cli';
  try {
    if (sub === 'create') {
      const { token, secret } = await tokens.create(
        { role: role as (typeof roles)[number], name: values.name ?? role!, employeeId: values.employee, expiresInDays: days, workspaceId: values.workspace },
        actor,
      );
      if (values.json) process.stdout.write(JSON.stringify({ ...token, token: secret }, null, 2) + '\n');
      else process.stdout.write(`${row(token)}\n\n${secret}\n\nThis token is shown once; only its hash is stored. Send it as "Authorization: Bearer <token>".\n`);
      return 0;
    }
    if (sub === 'list') {
      const list = await tokens.list({ includeRevoked: values.all });
      if (values.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      else process.stdout.write(list.length ? list.map(row).join('\n') + '\n' : 'No tokens.\n');
      return 0;
    }
    const revoked = await tokens.revoke(tokenId!, values.reason ?? 'revoked from the command line', actor);
    process.stdout.write(`${row(revoked)}\n`);
    return 0;
  } finally {
    await core.store.close();
  }
}
