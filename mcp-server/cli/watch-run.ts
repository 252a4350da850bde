// Follows a run until it finishes: live progress bars (one per task and one overall) in a terminal, plain lines otherwise.
import type { Command } from 'commander';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { AuraClient } from '../../webview-ui/protocol/aura-client';
import { isFinished, progressOf, type Run, stateGroup, type Task } from '../../webview-ui/protocol/aura-data';
import { act } from './command-kit';
import { type ServerOptions, serverOptions, withDirector } from './director-client';
import { fetchRun, runExitCode } from './run-reads';

/** How far along a task is, on a bar of 100: waiting 0, running 50, finished 100 (whatever the outcome). */
function taskValue(status: string): number {
  const group = stateGroup(status);
  if (group === 'running') return 50;
  return isFinished(status) || group === 'done' ? 100 : 0;
}

interface View {
  update(run: Run, tasks: Task[]): void;
  stop(run: Run): void;
}

/** The terminal view: cli-progress redraws the bars in place. */
function barsView(): View {
  const multibar = new MultiBar(
    { format: ' {bar} {label} {status}', barsize: 24, hideCursor: true, clearOnComplete: false, autopadding: true, stopOnComplete: false, fps: 10 },
    Presets.shades_classic,
  );
  let overall: SingleBar | undefined;
  const bars = new Map<string, SingleBar>();
  return {
    update(run, tasks) {
      const p = progressOf(run, tasks);
      overall ??= multibar.create(Math.max(p.total, 1), 0, { label: 'overall'.padEnd(24), status: '' });
      overall.setTotal(Math.max(p.total, 1));
      overall.update(p.done, { label: run.title.slice(0, 24).padEnd(24), status: `${run.status} ${p.done}/${p.total}` });
      for (const t of tasks) {
        const label = (t.key ?? t.id).slice(0, 24).padEnd(24);
        const status = `${t.status}${t.attempt ? ` (attempt ${t.attempt})` : ''}`;
        const bar = bars.get(t.id) ?? multibar.create(100, 0, { label, status });
        bars.set(t.id, bar);
        bar.update(taskValue(t.status), { label, status });
      }
    },
    stop(run) {
      multibar.stop();
      process.stdout.write(`Run ${run.id} ${run.status}.\n`);
    },
  };
}

/** Plain lines, one per change: for logs, pipes and CI. */
function linesView(json: boolean): View {
  const seen = new Map<string, string>();
  let runStatus = '';
  const at = () => new Date().toISOString().slice(11, 19);
  return {
    update(run, tasks) {
      for (const t of tasks) {
        const state = `${t.status}:${t.attempt ?? 0}`;
        if (seen.get(t.id) === state) continue;
        seen.set(t.id, state);
        if (json) process.stdout.write(JSON.stringify({ type: 'task', runId: run.id, task: t }) + '\n');
        else process.stdout.write(`${at()} ${t.key ?? t.id} ${t.status}${t.attempt ? ` (attempt ${t.attempt})` : ''}${t.lastError && stateGroup(t.status) === 'failed' ? `: ${t.lastError}` : ''}\n`);
      }
      if (run.status !== runStatus) {
        runStatus = run.status;
        const p = progressOf(run, tasks);
        if (json) process.stdout.write(JSON.stringify({ type: 'run', run }) + '\n');
        else process.stdout.write(`${at()} run ${run.id} ${run.status} (${p.done}/${p.total} tasks done)\n`);
      }
    },
    stop() {},
  };
}

/**
 * Draws the run until it finishes and answers its final status. Redraws on the run's resource notifications; a slow
 * poll backs them up, because a notification sent while the session reconnects is not sent again.
 */
export async function watchRun(client: AuraClient, runId: string, options: { json?: boolean; pollMs?: number }): Promise<string> {
  const view = process.stdout.isTTY && !options.json ? barsView() : linesView(Boolean(options.json));
  const uri = `aura://runs/${runId}`;
  let wake: () => void = () => undefined;
  const off = client.onUpdated((u) => {
    if (u === uri) wake();
  });
  await client.subscribe(uri);
  try {
    for (;;) {
      const { run, tasks } = await fetchRun(client, runId);
      view.update(run, tasks);
      if (isFinished(run.status)) {
        view.stop(run);
        return run.status;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 3000);
        wake = () => {
          clearTimeout(timer);
          // Appends within a moment come as several notifications: one read covers them.
          setTimeout(resolve, 100);
        };
      });
    }
  } finally {
    off();
    await client.unsubscribe(uri).catch(() => undefined); // the session closes next anyway
  }
}

export function register(program: Command): void {
  serverOptions(
    program
      .command('watch')
      .description('Follow a run until it finishes: progress bars in a terminal, a line per change otherwise (exit 0 only if it succeeded)')
      .argument('<run>', 'run id'),
  ).action(act('watch', async (runId: string, options: ServerOptions) => withDirector(options, async (client) => runExitCode(await watchRun(client, runId, { json: options.json })))));
}
