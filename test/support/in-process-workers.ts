// What Manager tests build on: in-process employees with scripted behaviour (succeed, fail, throw, hang,
// garbage, effects), a manual clock, and a CoreContext over a test store.
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config/config';
import type { CoreContext } from '../../core/core-context';
import { type Clock, systemClock } from '../../core/domain/clock';
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog } from '../../core/events/event-log';
import { createSilentLogger, type Logger } from '../../core/observability/logger';
import { createMetrics } from '../../core/observability/metrics';
import type { Store } from '../../core/store/store';
import type { Employee } from '../../core/workforce/employee';
import type { EmployeeRegistry } from '../../core/workforce/employee-registry';
import type { Assignment, BaseModelWorker, WorkContext, WorkerFactory, WorkResult } from '../../core/workforce/worker';
import { TEST_AUDIT_KEY } from './events';

export function testCore(store: Store, options: { clock?: Clock; logger?: Logger; maxModelContainers?: number } = {}): CoreContext {
  const clock = options.clock ?? systemClock;
  const signer = createAuditSigner(TEST_AUDIT_KEY);
  const config = loadConfig({ AURA_HOME: path.join(os.tmpdir(), 'aura-manager-tests'), AURA_MAX_MODEL_CONTAINERS: String(options.maxModelContainers ?? 3) });
  return { config, store, events: createEventLog({ store, signer, clock }), signer, clock, logger: options.logger ?? createSilentLogger(), metrics: createMetrics({ defaultMetrics: false }), readiness: [] };
}

/** What an in-process employee does with an assignment. */
export type Behaviour = (assignment: Assignment, context: WorkContext) => Promise<unknown> | unknown;

const telemetry = (costUsd = 0.001) => ({ tokensIn: 10, tokensOut: 5, latencyMs: 1, costUsd, model: 'in-process' });

export const behaviours = {
  succeed: (summary = 'done', costUsd?: number): Behaviour => (a) => ({ status: 'succeeded', summary: `${summary}: ${a.task.id}`, output: { key: a.task.id, attempt: a.attempt }, telemetry: telemetry(costUsd) }) satisfies WorkResult,
  fail: (summary = 'could not do it'): Behaviour => () => ({ status: 'failed', summary, telemetry: telemetry() }) satisfies WorkResult,
  throws: (message = 'the employee crashed'): Behaviour => () => {
    throw new Error(message);
  },
  /** Never answers; with `ignoreSignal` it does not even notice being cancelled. */
  hangs: (ignoreSignal = false): Behaviour => (_a, ctx) =>
    new Promise((_resolve, reject) => {
      if (!ignoreSignal) ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
    }),
  garbage: (value: unknown = { status: 'maybe', summary: 42 }): Behaviour => () => value,
  /** Waits `ms` (real time, abortable), then does what `then` does. */
  after: (ms: number, then: Behaviour): Behaviour => async (a, ctx) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('cancelled'))), { once: true });
    });
    return then(a, ctx);
  },
};

export interface WorkCall {
  key: string;
  taskId: string;
  runId: string;
  attempt: number;
  employeeId: string;
  idempotencyKey: string;
  startedAt: number;
  endedAt: number | null;
}

export interface InProcessWorkforce {
  factory: WorkerFactory;
  calls: WorkCall[];
  cancelled: string[];
}

/** Employees whose work is `behaviour(assignment)`; every call is recorded (wall-clock times). */
export function createInProcessWorkforce(behaviour: (assignment: Assignment) => Behaviour, kinds: readonly string[] = ['code', 'doc', 'analysis', 'command', 'review']): InProcessWorkforce {
  const calls: WorkCall[] = [];
  const cancelled: string[] = [];
  const factory: WorkerFactory = (employee: Employee): BaseModelWorker => ({
    capabilities: { provider: 'in-process', model: employee.profile.model, kinds, structuredOutput: true, isolated: false },
    async execute(assignment, context) {
      const call: WorkCall = { key: assignment.task.id, taskId: assignment.taskId, runId: assignment.runId, attempt: assignment.attempt, employeeId: employee.id, idempotencyKey: assignment.idempotencyKey, startedAt: Date.now(), endedAt: null };
      calls.push(call);
      try {
        return (await behaviour(assignment)(assignment, context)) as WorkResult;
      } finally {
        call.endedAt = Date.now();
      }
    },
    async cancel(taskId) {
      cancelled.push(taskId);
    },
  });
  return { factory, calls, cancelled };
}

export async function hireInProcess(registry: EmployeeRegistry, names: readonly string[], options: { skills?: string[]; maxConcurrent?: number; workspaceId?: string } = {}): Promise<Employee[]> {
  const hired: Employee[] = [];
  for (const name of names) hired.push(await registry.hire({ name, provider: 'in-process', model: 'scripted', skills: options.skills ?? [], maxConcurrent: options.maxConcurrent ?? 4 }, 'director', options.workspaceId));
  return hired;
}

/** A Clock that moves only when told to: backoff and lease timing become exact. */
export interface ManualClock extends Clock {
  /** Moves time forward, waking every sleeper that is due (in due order), then lets them run. */
  advance(ms: number): Promise<void>;
  /** Sleepers waiting now. */
  sleepers(): number;
}

export function createManualClock(start = new Date('2030-01-01T00:00:00.000Z')): ManualClock {
  let now = start.getTime();
  let waiting: Array<{ until: number; resolve: () => void }> = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => new Date(now),
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const entry = { until: now + Math.max(ms, 0), resolve };
        waiting.push(entry);
        signal?.addEventListener(
          'abort',
          () => {
            waiting = waiting.filter((w) => w !== entry);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = waiting.filter((w) => w.until <= target).sort((a, b) => a.until - b.until)[0];
        if (!due) break;
        now = Math.max(now, due.until);
        waiting = waiting.filter((w) => w !== due);
        due.resolve();
        await settle();
      }
      now = target;
      await settle();
    },
    sleepers: () => waiting.length,
  };
}
