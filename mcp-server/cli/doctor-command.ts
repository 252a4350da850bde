// `aura doctor`: checks the configuration, database, migrations, container engine, worker image, ports and token; says what to fix.
import net from 'node:net';
import type { Command } from 'commander';
import { openContainerRuntime } from '../../adapters/containers/open-container-runtime';
import { openStore } from '../../adapters/store-open';
import { type Config, loadConfig } from '../../core/config/config';
import { envNames } from '../../core/config/env-names';
import { toAuraError } from '../../core/domain/errors';
import { checkReadiness } from '../../core/observability/readiness';
import { loadMigrations, pendingMigrations } from '../../core/store/migrations';
import { migrationsDir } from '../app/open-core';
import { runningServe } from '../mcp/stdio/running-serve';
import { act, exitCodes, printJson } from './command-kit';
import { connectDirector, type ServerOptions, serverOptions } from './director-client';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

const fixes: Record<string, string> = {
  database: `start PostgreSQL or correct ${envNames.databaseUrl}; for the embedded database, check that ${envNames.home} is writable`,
  migrations: 'run "aura migrate" (aura serve also migrates when it starts)',
  'container-engine': `start dockerd, or point ${envNames.dockerHost} at a reachable engine`,
  'worker-image': 'run "aura images build"',
};

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Database and migrations, asked directly: only when no `aura serve` of this home holds the embedded database. */
async function databaseChecks(config: Config): Promise<Check[]> {
  let store;
  try {
    store = await openStore(config);
  } catch (error) {
    return [{ name: 'database', ok: false, detail: toAuraError(error).message, fix: fixes.database }];
  }
  try {
    const pending = await pendingMigrations(store, loadMigrations(migrationsDir()));
    return [
      { name: 'database', ok: true, detail: `${store.kind} reachable` },
      pending.length ? { name: 'migrations', ok: false, detail: `pending: ${pending.join(', ')}`, fix: fixes.migrations } : { name: 'migrations', ok: true, detail: 'all applied' },
    ];
  } catch (error) {
    return [{ name: 'migrations', ok: false, detail: toAuraError(error).message, fix: fixes.migrations }];
  } finally {
    await store.close();
  }
}

async function runChecks(options: ServerOptions): Promise<Check[]> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    return [{ name: 'configuration', ok: false, detail: toAuraError(error).message, fix: 'set the variables it names (or unset them for the defaults)' }];
  }
  const checks: Check[] = [{ name: 'configuration', ok: true, detail: `home ${config.home}, database ${config.databaseUrl ? 'PostgreSQL' : 'embedded'}` }];
  const serve = runningServe(config.home);
  if (serve?.apiUrl) {
    // The running server answers for what it holds: its /ready runs the same checks in its own process.
    try {
      const ready = (await (await fetch(`${serve.apiUrl}/ready`)).json()) as { checks: Record<string, { ok: boolean; detail: string }> };
      for (const [name, r] of Object.entries(ready.checks)) checks.push({ name, ok: r.ok, detail: `${r.detail} (from aura serve pid ${serve.pid})`, fix: r.ok ? undefined : fixes[name] });
    } catch (error) {
      checks.push({ name: 'server', ok: false, detail: `aura serve (pid ${serve.pid}) does not answer ${serve.apiUrl}/ready: ${(error as Error).message}`, fix: 'look at its log in $AURA_HOME/logs/serve; restart it' });
    }
  } else {
    checks.push(...(await databaseChecks(config)));
    const report = await checkReadiness(openContainerRuntime(config).readiness);
    for (const [name, r] of Object.entries(report.checks)) checks.push({ name, ok: r.ok, detail: r.detail, fix: r.ok ? undefined : fixes[name] });
    for (const [setting, port] of [[envNames.apiPort, config.apiPort], [envNames.mcpPort, config.mcpPort], [envNames.uiPort, config.uiPort]] as const) {
      const free = await portFree(config.host, port);
      checks.push({ name: `port ${port}`, ok: free, detail: free ? `${config.host}:${port} is free for ${setting}` : `${config.host}:${port} (${setting}) is taken by another process`, fix: free ? undefined : `stop that process or set ${setting} to a free port` });
    }
  }
  // The token last: it needs a server to ask.
  try {
    const client = await connectDirector(options);
    const director = (await client.listTools()).has('approve');
    await client.close();
    checks.push({ name: 'token', ok: true, detail: `${client.url} accepts the token${director ? ' (Director)' : ' (not a Director token: approvals are not offered)'}` });
  } catch (error) {
    const e = toAuraError(error);
    const unreachable = e.code === 'unavailable';
    checks.push({ name: unreachable ? 'server' : 'token', ok: false, detail: e.message, fix: unreachable ? 'start "aura serve" (or pass --server)' : `create a token with "aura tokens create --role director" and pass --token-file or ${envNames.mcpToken}` });
  }
  return checks;
}

export function register(program: Command): void {
  serverOptions(program.command('doctor').description('Check the database, migrations, container engine, worker image, ports and token; say what to fix')).action(
    act('doctor', async (options: ServerOptions) => {
      const checks = await runChecks(options);
      const ok = checks.every((c) => c.ok);
      if (options.json) printJson({ ok, checks });
      else {
        for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(17)} ${c.detail}\n${c.fix ? `     ${''.padEnd(17)} fix: ${c.fix}\n` : ''}`);
        process.stdout.write(ok ? 'Everything checks out.\n' : 'Some checks failed: fix them as shown, then run aura doctor again.\n');
      }
      return ok ? exitCodes.ok : exitCodes.failed;
    }),
  );
}
