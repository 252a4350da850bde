// `aura events`: the audit log, oldest first, filtered by run, task, type and time (query_events).
import type { Command } from 'commander';
import { eventSchema, parseList } from '../../webview-ui/protocol/aura-data';
import { act, collect, positiveInt, printJson } from './command-kit';
import { type ServerOptions, serverOptions, withDirector } from './director-client';

interface EventsOptions extends ServerOptions {
  run?: string;
  task?: string;
  type?: string[];
  since?: string;
  after?: number;
  limit: number;
}

export function register(program: Command): void {
  serverOptions(
    program
      .command('events')
      .description('The audit event log, oldest first')
      .option('--run <run>', 'only this run\'s events')
      .option('--task <task>', 'only this task\'s events')
      .option('--type <type>', 'only these types, e.g. TaskFailed (repeatable, or comma-separated)', collect)
      .option('--since <iso-time>', 'from this time on')
      .option('--after <id>', 'events after this id (the cursor a previous page printed)', Number)
      .option('--limit <n>', 'at most this many (1-500)', positiveInt, 100),
  ).action(
    act('events', async (options: EventsOptions) =>
      withDirector(options, async (client) => {
        const args = { runId: options.run, taskId: options.task, types: options.type, since: options.since, after: options.after, limit: options.limit };
        const value = (await client.call('query_events', JSON.parse(JSON.stringify(args)))) as { nextCursor: number | null };
        const events = parseList(value, 'events', eventSchema);
        if (options.json) return printJson({ events, nextCursor: value.nextCursor });
        for (const e of events) {
          const where = [e.runId, e.taskId].filter(Boolean).join(' ');
          process.stdout.write(`${e.id ?? ''}  ${e.occurredAt ?? ''}  ${e.type.padEnd(22)} ${e.actor ?? ''}${where ? `  ${where}` : ''}\n`);
        }
        if (events.length === 0) process.stdout.write('No events match.\n');
        if (value.nextCursor !== null) process.stdout.write(`More: aura events --after ${value.nextCursor}\n`);
      }),
    ),
  );
}
