// `aura tokens create|list|revoke`: bearer tokens for the MCP endpoint; a token is printed once and stored hashed.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/config';
import { AuraError } from '../../core/domain/errors';
import { createLogger } from '../../core/observability/logger';
import { openCore } from '../app/open-core';
import { roles } from '../auth/roles';
import { createTokenStore, type TokenInfo } from '../auth/token-store';
import { runningServe } from '../mcp/stdio/running-serve';

const usage = `Usage:
  aura tokens create --role director|operator|viewer|employee [--name NAME] [--employee ID] [--expires-days N] [--json]
  aura tokens list [--all] [--json]
  aura tokens revoke TOKEN_ID [--reason TEXT]
`;

function row(t: TokenInfo): string {
  const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.expiresAt ? `expires ${t.expiresAt.toISOString()}` : 'active';
  return `${t.id}  ${t.role.padEnd(8)}  ${t.name}${t.employeeId ? ` (employee ${t.employeeId})` : ''}  ${state}`;
}

export async function tokensCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') {
    process.stderr.write(usage);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: sub === 'revoke',
    strict: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      employee: { type: 'string' },
      'expires-days': { type: 'string' },
      reason: { type: 'string' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  // Arguments are checked before the database is opened: a typo costs nothing.
  const role = values.role;
  if (sub === 'create' && (!role || !(roles as readonly string[]).includes(role))) throw new AuraError('invalid_input', `--role must be one of ${roles.join(', ')}.\n${usage}`);
  const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days']);
  if (sub === 'revoke' && !positionals[0]) throw new AuraError('invalid_input', `Name the token to revoke.\n${usage}`);
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
        { role: role as (typeof roles)[number], name: values.name ?? role!, employeeId: values.employee, expiresInDays: days },
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
    const revoked = await tokens.revoke(positionals[0]!, values.reason ?? 'revoked from the command line', actor);
    process.stdout.write(`${row(revoked)}\n`);
    return 0;
  } finally {
    await core.store.close();
  }
}
