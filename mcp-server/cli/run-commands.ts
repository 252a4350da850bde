// `aura submit`, `aura runs`, `aura run show`, `aura pause|resume|cancel`: runs, through the MCP tools of aura serve.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AuraError } from '../../core/domain/errors';
import { formatUsd, parseList, parseOne, progressOf, type Run, runSchema, type Task } from '../../webview-ui/protocol/aura-data';
import { act, collect, exitCodes, positiveInt, printJson, printTable } from './command-kit';
import { type ServerOptions, serverOptions, withDirector } from './director-client';
import { fetchRun, runExitCode } from './run-reads';
import { watchRun } from './watch-run';

const age = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 19) : '');

export function runRow(run: Run): Record<string, string> {
  const p = progressOf(run);
  return { id: run.id, status: run.status, tasks: `${p.done}/${p.total}`, cost: formatUsd(run.costUsd), created: age(run.createdAt), title: run.title };
}

function printRun(run: Run, tasks: Task[]): void {
  const extra = run as Run & { statusReason?: string | null; planner?: string; workspace?: string | null; pendingApprovals?: Array<{ id: string; reason: string }> };
  const p = progressOf(run, tasks);
  process.stdout.write(`${run.id}  ${run.title}\n  status   ${run.status}${extra.statusReason ? ` (${extra.statusReason})` : ''}\n`);
  process.stdout.write(`  tasks    ${p.done}/${p.total} done    cost ${formatUsd(run.costUsd)}${run.budgetUsd != null ? ` of ${formatUsd(run.budgetUsd)}` : ''}\n`);
  if (extra.planner) process.stdout.write(`  planner  ${extra.planner}${extra.workspace ? `    repo ${extra.workspace}` : ''}\n`);
  for (const a of extra.pendingApprovals ?? []) process.stdout.write(`  approval ${a.id} waits: ${a.reason}  (aura approve ${a.id})\n`);
  process.stdout.write('\n');
  printTable(
    tasks.map((t) => ({ id: t.id, key: t.key ?? '', status: t.status, attempt: String(t.attempt ?? 0), after: t.dependsOn.join(','), title: t.title })),
    ['id', 'key', 'status', 'attempt', 'after', 'title'],
    'No tasks in the plan.',
  );
}

export function register(program: Command): void {
  serverOptions(
    program
      .command('submit')
      .description('Submit a PRD (Markdown): the Manager plans it into a task DAG and queues it')
      .argument('<prd>', 'the PRD file (Markdown)')
      .option('--repo <path>', 'git repository the employees work in')
      .option('--title <title>', 'title of the run (default: the PRD\'s first heading)')
      .option('--budget <usd>', 'budget of the run in USD', Number)
      .option('--watch', 'follow the run until it finishes (exit code 0 only if it succeeded)'),
  ).action(
    act('submit', async (file: string, options: ServerOptions & { repo?: string; title?: string; budget?: number; watch?: boolean }) => {
      let prd: string;
      try {
        prd = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new AuraError('invalid_input', `The PRD ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
      }
      const workspace = options.repo ? path.resolve(options.repo) : undefined;
      if (workspace && !fs.existsSync(path.join(workspace, '.git'))) throw new AuraError('invalid_input', `--repo ${options.repo} is not a git repository (no .git in ${workspace}).`);
      if (options.budget !== undefined && !(options.budget >= 0)) throw new AuraError('invalid_input', '--budget must be a number of USD, at least 0.');
      return withDirector(options, async (client) => {
        const args = { prd, title: options.title, budgetUsd: options.budget, workspace };
        const run = parseOne(await client.call('submit_prd', JSON.parse(JSON.stringify(args))), 'run', runSchema)!;
        if (!options.watch) {
          if (options.json) printJson({ run });
          else process.stdout.write(`Submitted ${run.id} (${run.status}): ${run.title}\nFollow it with: aura watch ${run.id}\n`);
          return exitCodes.ok;
        }
        if (!options.json) process.stdout.write(`Submitted ${run.id}: ${run.title}\n`);
        return runExitCode(await watchRun(client, run.id, { json: options.json }));
      });
    }),
  );

  serverOptions(
    program
      .command('runs')
      .description('List runs, newest first')
      .option('--status <status>', 'only runs in this status (repeatable, or comma-separated)', collect)
      .option('--limit <n>', 'at most this many (1-200)', positiveInt, 20),
  ).action(
    act('runs', async (options: ServerOptions & { status?: string[]; limit: number }) =>
      withDirector(options, async (client) => {
        const value = await client.call('list_runs', { limit: options.limit, ...(options.status ? { status: options.status } : {}) });
        const runs = parseList(value, 'runs', runSchema);
        if (options.json) printJson({ runs });
        else printTable(runs.map(runRow), ['id', 'status', 'tasks', 'cost', 'created', 'title'], 'No runs yet. Submit one with: aura submit PRD.md');
      }),
    ),
  );

  const run = program.command('run').description('One run');
  serverOptions(run.command('show').description('A run: status, cost and its plan\'s tasks').argument('<run>', 'run id')).action(
    act('run show', async (runId: string, options: ServerOptions) =>
      withDirector(options, async (client) => {
        const { run: found, tasks, raw } = await fetchRun(client, runId);
        if (options.json) printJson({ run: raw });
        else printRun(found, tasks);
      }),
    ),
  );

  const control = (name: 'pause' | 'resume' | 'cancel', tool: string, description: string, reasonRequired: boolean) =>
    serverOptions(
      program
        .command(name)
        .description(description)
        .argument('<run>', 'run id')
        .option('--reason <text>', reasonRequired ? 'why (recorded in the audit log; required)' : 'why (recorded in the audit log)'),
    ).action(
      act(name, async (runId: string, options: ServerOptions & { reason?: string }) => {
        if (reasonRequired && !options.reason) throw new AuraError('invalid_input', `aura ${name} needs --reason: it is recorded in the audit log.`);
        return withDirector(options, async (client) => {
          const reason = options.reason ?? (name === 'pause' ? 'paused from the aura CLI' : undefined);
          const changed = parseOne(await client.call(tool, JSON.parse(JSON.stringify({ runId, reason }))), 'run', runSchema)!;
          if (options.json) printJson({ run: changed });
          else process.stdout.write(`${changed.id} is ${changed.status}.\n`);
        });
      }),
    );
  control('pause', 'pause_run', 'Pause a run: no new task starts; running attempts finish', false);
  control('resume', 'resume_run', 'Resume a paused run', false);
  control('cancel', 'cancel_run', 'Cancel a run for good: running attempts are stopped', true);
}
