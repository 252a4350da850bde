// `aura workspaces create|list|show|set-quota`: team workspaces and their quotas, run on the server against its database
// (like `aura tokens`): whoever can open the database administers workspaces; no MCP token can.
import type { Command } from 'commander';
import { loadConfig } from '../../core/config/config';
import { AuraError } from '../../core/domain/errors';
import { createLogger } from '../../core/observability/logger';
import { type Quotas, type Workspace, type WorkspaceUsage, workspaceIdSchema } from '../../core/tenancy/workspace';
import { createWorkspaceService, type WorkspaceService } from '../../core/tenancy/workspace-service';
import { openCore } from '../app/open-core';
import { runningServe } from '../mcp/stdio/running-serve';
import { act } from './command-kit';

interface WorkspaceOptions {
  name?: string;
  maxActiveRuns?: string;
  maxContainers?: string;
  monthlyBudget?: string;
  json?: boolean;
}

const limit = (n: number | null, unit = '') => (n === null ? 'no limit' : `${unit}${n}`);

function row(w: Workspace): string {
  return `${w.id.padEnd(20)}  ${w.name}  runs ${limit(w.maxActiveRuns)}, containers ${limit(w.maxContainers)}, monthly budget ${limit(w.monthlyBudgetUsd, '$')}`;
}

/** "none" removes a limit; anything else must be a number (integers for counts). */
function quotaOf(value: string | undefined, flag: string, integer: boolean): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new AuraError('invalid_input', `${flag} must be ${integer ? 'a whole number' : 'an amount in USD'} of 0 or more, or "none" for no limit (got "${value}").`);
  }
  return n;
}

function quotasOf(values: WorkspaceOptions): Partial<Quotas> {
  const q = {
    maxActiveRuns: quotaOf(values.maxActiveRuns, '--max-active-runs', true),
    maxContainers: quotaOf(values.maxContainers, '--max-containers', true),
    monthlyBudgetUsd: quotaOf(values.monthlyBudget, '--monthly-budget', false),
  };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
}

function idOf(id: string): string {
  const parsed = workspaceIdSchema.safeParse(id);
  if (!parsed.success) throw new AuraError('invalid_input', `Invalid workspace id "${id}": ${parsed.error.issues[0]!.message}.`);
  return parsed.data;
}

const quotaFlags = (c: Command) =>
  c
    .option('--max-active-runs <n>', 'runs not settled at once ("none": no limit)')
    .option('--max-containers <n>', 'running tasks (containers) at once ("none": no limit)')
    .option('--monthly-budget <usd>', 'USD per calendar month, UTC ("none": no limit)')
    .option('--json', 'print JSON');

export function register(program: Command): void {
  const workspaces = program.command('workspaces').description('Team workspaces and their quotas (on the server; see docs/tenancy.md)');
  quotaFlags(workspaces.command('create').description('Create a workspace').argument('<id>').option('--name <name>', 'a readable name')).action(
    act('workspaces create', (id: string, values: WorkspaceOptions) => {
      // Arguments are checked before the database is opened: a typo costs nothing.
      const input = { id: idOf(id), name: values.name, ...quotasOf(values) };
      return withService(values, async (s) => print(values, await s.create(input, 'director:cli')));
    }),
  );
  workspaces
    .command('list')
    .description('List workspaces')
    .option('--json', 'print JSON')
    .action(
      act('workspaces list', (values: WorkspaceOptions) =>
        withService(values, async (s) => {
          const list = await s.list();
          process.stdout.write(values.json ? JSON.stringify(list, null, 2) + '\n' : list.map(row).join('\n') + '\n');
        }),
      ),
    );
  workspaces
    .command('show')
    .description('A workspace with its quotas and what it uses now')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(act('workspaces show', (id: string, values: WorkspaceOptions) => withService(values, async (s) => print(values, await s.get(id), await s.usage(id)))));
  quotaFlags(workspaces.command('set-quota').description("Change a workspace's quotas (only those given)").argument('<id>')).action(
    act('workspaces set-quota', (id: string, values: WorkspaceOptions) => {
      const quotas = quotasOf(values);
      if (Object.keys(quotas).length === 0) throw new AuraError('invalid_input', 'Give at least one of --max-active-runs, --max-containers, --monthly-budget.');
      return withService(values, async (s) => print(values, await s.setQuotas(idOf(id), quotas, 'director:cli')));
    }),
  );
}

function print(values: WorkspaceOptions, w: Workspace, usage?: WorkspaceUsage): void {
  if (values.json) {
    process.stdout.write(JSON.stringify(usage ? { ...w, usage } : w, null, 2) + '\n');
    return;
  }
  process.stdout.write(row(w) + '\n');
  if (usage) {
    process.stdout.write(
      `  now: ${usage.activeRuns} runs not settled, ${usage.runningContainers} containers running, $${usage.monthSpentUsd.toFixed(4)} spent since ${usage.monthStart.toISOString().slice(0, 10)}\n`,
    );
  }
}

async function withService(_values: WorkspaceOptions, body: (service: WorkspaceService) => Promise<void>): Promise<number> {
  const config = loadConfig();
  const serve = config.databaseUrl ? undefined : runningServe(config.home);
  if (serve) {
    throw new AuraError('conflict', `aura serve (pid ${serve.pid}) holds the embedded database. Stop it, manage workspaces, then start it again (or use PostgreSQL via DATABASE_URL).`);
  }
  const logger = createLogger({ service: 'workspaces', level: 'warn', destination: 'stderr' });
  const core = await openCore({ config, logger, migrate: true });
  try {
    await body(createWorkspaceService(core));
    return 0;
  } finally {
    await core.store.close();
  }
}
