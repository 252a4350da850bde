// Builds governance over a suite's test store: a CoreContext with a movable clock, an employee registry, helpers
// that play the Manager's part (assignments, results, afterAttempt in a transaction).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../core/config/config';
import type { CoreContext } from '../../../core/core-context';
import type { Clock } from '../../../core/domain/clock';
import { createAuditSigner } from '../../../core/events/chain';
import { createEventLog } from '../../../core/events/event-log';
import { createGovernance, type GovernanceOptions, type GovernanceServices } from '../../../core/governance/create-governance';
import type { Requester } from '../../../core/governance/requester';
import type { AttemptOutcome, RunInfo, Verdict } from '../../../core/manager/governance-port';
import { type PlanTask, planTaskSchema } from '../../../core/manager/plan-schema';
import { createLogger } from '../../../core/observability/logger';
import { createMetrics } from '../../../core/observability/metrics';
import type { Store } from '../../../core/store/store';
import type { Employee } from '../../../core/workforce/employee';
import { createEmployeeRegistry, type EmployeeRegistry } from '../../../core/workforce/employee-registry';
import type { Assignment, WorkResult } from '../../../core/workforce/worker';
import { TEST_AUDIT_KEY } from '../../support/events';

export const director: Requester = { actor: 'director:local', role: 'director' };

/** A clock the test moves by hand (sleep resolves at once: nothing in these suites waits on it). */
export class TestClock implements Clock {
  constructor(private at = new Date()) {}
  now = () => new Date(this.at.getTime());
  set(at: Date) {
    this.at = new Date(at.getTime());
  }
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
  }
  sleep = async () => undefined;
}

export interface Harness {
  ctx: CoreContext;
  clock: Clock;
  registry: EmployeeRegistry;
  gov: GovernanceServices;
  home: string;
  hire(name: string, overrides?: Record<string, unknown>): Promise<Employee>;
  task(overrides?: Partial<PlanTask> & { id: string }): PlanTask;
  run(id: string, overrides?: Partial<RunInfo>): RunInfo;
  assignment(run: RunInfo, task: PlanTask, employee: Employee, attempt?: number, taskId?: string): Assignment;
  result(overrides?: Partial<WorkResult>): WorkResult;
  /** verify (when there is a result) then afterAttempt in one transaction, as the Manager does. */
  attempt(a: Assignment, result: WorkResult | null, error?: string): Promise<Verdict | null>;
  close(): void;
}

export async function createHarness(store: Store, options: Partial<GovernanceOptions> & { env?: Record<string, string>; clock?: Clock } = {}): Promise<Harness> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-gov-'));
  const config = loadConfig({ AURA_HOME: home, AURA_LOG_LEVEL: 'silent', ...options.env }, home);
  const clock = options.clock ?? new TestClock();
  const signer = createAuditSigner(TEST_AUDIT_KEY);
  const events = createEventLog({ store, signer, clock });
  const logger = createLogger({ service: 'governance-test', level: 'silent' });
  const ctx: CoreContext = { config, store, events, signer, clock, logger, metrics: createMetrics({ defaultMetrics: false }), readiness: [] } as CoreContext;
  const registry = createEmployeeRegistry({ store, events });
  const gov = await createGovernance(ctx, { registry, ...options });
  const h: Harness = {
    ctx,
    clock,
    registry,
    gov,
    home,
    hire: (name, overrides = {}) => registry.hire({ name, provider: 'in-process', model: 'scripted', skills: ['code'], ...overrides }, 'director:local'),
    task: (overrides = { id: 't1' }) => planTaskSchema.parse({ title: `Task ${overrides.id}`, kind: 'code', scope: ['src/**'], ...overrides }),
    run: (id, overrides = {}) => ({ id, title: `Run ${id}`, budgetUsd: null, policySet: null, costUsd: 0, ...overrides }),
    assignment: (run, task, employee, attempt = 1, taskId = `${run.id}-${task.id}`) => ({
      runId: run.id,
      taskId,
      attempt,
      idempotencyKey: `${run.id}_${taskId}_${attempt}`,
      task,
      employee,
      context: { runTitle: run.title, dependencies: [] },
      deadline: clock.now().getTime() + task.timeoutMs,
    }),
    result: (overrides = {}) => ({ status: 'succeeded', summary: 'done', telemetry: { tokensIn: 100, tokensOut: 50, latencyMs: 2_000, costUsd: 0.01, model: 'scripted' }, ...overrides }),
    async attempt(a, result, error) {
      const verdict = result ? await gov.port.verify(a, result) : null;
      const outcome: AttemptOutcome = { assignment: a, result, verdict, error };
      await store.transaction((tx) => gov.port.afterAttempt(tx, outcome));
      return verdict;
    },
    close: () => fs.rmSync(home, { recursive: true, force: true }),
  };
  return h;
}
