// Shared by the Manager's integration tests: an orchestrator over a suite's store with in-process employees,
// waiting on the event log (NOTIFY) instead of sleeping, and the 20-task diamond PRD.
import type { Clock } from '../../../core/domain/clock';
import { EVENTS_CHANNEL } from '../../../core/events/event-log';
import type { Governance } from '../../../core/manager/governance-port';
import type { SchedulerOptions } from '../../../core/manager/scheduler-options';
import { createOrchestrator, type Orchestrator } from '../../../core/orchestrator';
import type { RunDetail } from '../../../core/runs/run-queries';
import type { Store } from '../../../core/store/store';
import type { Assignment } from '../../../core/workforce/worker';
import { type Behaviour, createInProcessWorkforce, hireInProcess, type InProcessWorkforce, testCore } from '../../support/in-process-workers';

export interface Harness {
  orchestrator: Orchestrator;
  workforce: InProcessWorkforce;
  stop(): Promise<void>;
}

export async function startManager(
  store: Store,
  input: { behaviour: (a: Assignment) => Behaviour; employees?: string[]; maxConcurrent?: number; options?: Partial<SchedulerOptions>; clock?: Clock; governance?: Governance; hire?: boolean; start?: boolean },
): Promise<Harness> {
  const core = testCore(store, { clock: input.clock });
  const workforce = createInProcessWorkforce(input.behaviour);
  const orchestrator = createOrchestrator({ core, workers: workforce.factory, governance: input.governance, options: { pollMs: 250, leaseMs: 10_000, employeeRefreshMs: 0, stopGraceMs: 0, ...input.options } });
  if (input.hire ?? true) await hireInProcess(orchestrator.employees, input.employees ?? [`ada-${Math.random().toString(36).slice(2, 8)}`, `bob-${Math.random().toString(36).slice(2, 8)}`], { maxConcurrent: input.maxConcurrent });
  if (input.start ?? true) await orchestrator.start();
  return { orchestrator, workforce, stop: () => orchestrator.stop(0) };
}

/** Resolves when `check` returns a value; re-checked on every committed event (NOTIFY) and at a slow poll. */
export async function waitFor<T>(store: Store, check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  let wake: () => void = () => undefined;
  const unlisten = await store.listen(EVENTS_CHANNEL, () => wake());
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        wake = () => (clearTimeout(timer), resolve());
      });
    }
  } finally {
    await unlisten();
  }
}

export function waitForRun(store: Store, orchestrator: Orchestrator, runId: string, statuses: readonly RunDetail['status'][], timeoutMs?: number): Promise<RunDetail> {
  return waitFor(store, async () => {
    const run = await orchestrator.runs.get(runId);
    return statuses.includes(run.status) ? run : null;
  }, timeoutMs, `run ${runId} to be ${statuses.join(' or ')}`);
}

/** setup → api-1..9 (each after setup) → ui-1..9 (each after its api) → release (after all of UI): 20 tasks. */
export function diamondPrd(): string {
  const n = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  return [
    '# Diamond',
    '## Setup',
    '- `setup`: Prepare the workspace',
    '## API (after Setup)',
    ...n.map((i) => `- \`api-${i}\`: Build endpoint ${i}`),
    '## UI',
    ...n.map((i) => `- \`ui-${i}\`: Screen ${i} (after \`api-${i}\`)`),
    '## Release',
    '- `release`: Ship it (depends on UI)',
    '',
  ].join('\n');
}
