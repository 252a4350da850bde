// `aura approvals`, `aura approve|reject`, `aura retry|skip`: the Director's decisions on approvals and tasks.
import type { Command } from 'commander';
import { AuraError } from '../../core/domain/errors';
import { approvalSchema, parseList, parseOne, taskSchema } from '../../webview-ui/protocol/aura-data';
import { act, printJson, printTable } from './command-kit';
import { type ServerOptions, serverOptions, withDirector } from './director-client';

const needReason = (name: string, reason: string | undefined): string => {
  if (!reason) throw new AuraError('invalid_input', `aura ${name} needs --reason: it is recorded in the audit log.`);
  return reason;
};

export function register(program: Command): void {
  serverOptions(
    program
      .command('approvals')
      .description('Questions waiting for the Director (plans, replans, approval tasks, held commands)')
      .option('--run <run>', 'only this run\'s'),
  ).action(
    act('approvals', async (options: ServerOptions & { run?: string }) =>
      withDirector(options, async (client) => {
        const approvals = parseList(await client.call('list_approvals', options.run ? { runId: options.run } : {}), 'approvals', approvalSchema);
        if (options.json) printJson({ approvals });
        else
          printTable(
            approvals.map((a) => ({ id: a.id, kind: a.kind ?? '', run: a.runId ?? '', task: a.taskId ?? '', asks: a.title ?? a.reason ?? '' })),
            ['id', 'kind', 'run', 'task', 'asks'],
            'Nothing waits for your approval.',
          );
      }),
    ),
  );

  serverOptions(program.command('approve').description('Approve a pending approval: its branch goes on').argument('<approval>', 'approval id').option('--note <text>', 'a note, recorded with the decision')).action(
    act('approve', async (approvalId: string, options: ServerOptions & { note?: string }) =>
      withDirector(options, async (client) => {
        const approval = parseOne(await client.call('approve', JSON.parse(JSON.stringify({ approvalId, note: options.note }))), 'approval', approvalSchema);
        if (options.json) printJson({ approval });
        else process.stdout.write(`Approved ${approvalId}.\n`);
      }),
    ),
  );

  serverOptions(program.command('reject').description('Reject a pending approval: the task or plan does not go ahead').argument('<approval>', 'approval id').option('--reason <text>', 'why (required; recorded)')).action(
    act('reject', async (approvalId: string, options: ServerOptions & { reason?: string }) => {
      const reason = needReason('reject', options.reason);
      return withDirector(options, async (client) => {
        const approval = parseOne(await client.call('reject', { approvalId, reason }), 'approval', approvalSchema);
        if (options.json) printJson({ approval });
        else process.stdout.write(`Rejected ${approvalId}.\n`);
      });
    }),
  );

  serverOptions(program.command('retry').description('Queue a dead-lettered or failed task again with fresh attempts').argument('<task>', 'task id')).action(
    act('retry', async (taskId: string, options: ServerOptions) =>
      withDirector(options, async (client) => {
        const task = parseOne(await client.call('retry_task', { taskId }), 'task', taskSchema)!;
        if (options.json) printJson({ task });
        else process.stdout.write(`${task.id} is ${task.status} again.\n`);
      }),
    ),
  );

  serverOptions(program.command('skip').description('Skip a task: it counts as done, so its dependents may start').argument('<task>', 'task id').option('--reason <text>', 'why (required; recorded)')).action(
    act('skip', async (taskId: string, options: ServerOptions & { reason?: string }) => {
      const reason = needReason('skip', options.reason);
      return withDirector(options, async (client) => {
        const task = parseOne(await client.call('skip_task', { taskId, reason }), 'task', taskSchema)!;
        if (options.json) printJson({ task });
        else process.stdout.write(`${task.id} is ${task.status}.\n`);
      });
    }),
  );
}
