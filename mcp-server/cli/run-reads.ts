// Reads of a run that several commands share (run show, watch, submit --watch), and what its status means for the exit code.
import { AuraError } from '../../core/domain/errors';
import type { AuraClient } from '../../webview-ui/protocol/aura-client';
import { parseList, parseOne, runSchema, taskSchema } from '../../webview-ui/protocol/aura-data';
import { exitCodes } from './command-kit';

/** Reads a run with its plan's tasks (get_run). */
export async function fetchRun(client: Pick<AuraClient, 'call'>, runId: string) {
  const value = await client.call('get_run', { runId });
  const run = parseOne(value, 'run', runSchema);
  if (!run) throw new AuraError('internal', `get_run answered something that is not a run`);
  const raw = (value as { run: { tasks?: unknown } }).run;
  return { run, tasks: parseList(raw, 'tasks', taskSchema), raw: raw as Record<string, unknown> };
}

/** Exit code of a finished run: only a run that succeeded is a success. */
export function runExitCode(status: string): number {
  return status === 'succeeded' ? exitCodes.ok : exitCodes.failed;
}

