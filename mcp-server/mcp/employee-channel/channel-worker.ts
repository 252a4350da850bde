// The employee port for external agents over MCP: an attempt becomes an assignment the agent fetches (get_assignment),
// and execute() resolves with what it submits (submit_result), or stops when the Manager stops the attempt.
import { z } from 'zod';
import { AuraError } from '../../../core/domain/errors';
import type { Logger } from '../../../core/observability/logger';
import type { Store } from '../../../core/store/store';
import type { Employee } from '../../../core/workforce/employee';
import type { Assignment, BaseModelWorker, WorkerFactory, WorkResult } from '../../../core/workforce/worker';
import { CHANNEL_NOTIFY, cancelAssignments, offerAssignment, readAssignment } from './channel-store';

/** A CLI agent with no command to run in a container is one that connects itself, over the employee channel. */
export function isChannelEmployee(employee: Employee): boolean {
  return employee.profile.provider === 'cli' && !employee.profile.command?.length;
}

/** What an agent submits: the WorkResult the Manager and Auditor judge (telemetry filled in where it gives none). */
export const submittedResultSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  summary: z.string().min(1).max(20_000),
  output: z.unknown().optional(),
  claimsChecksPassed: z.boolean().optional(),
  commit: z.string().regex(/^[0-9a-f]{7,64}$/).optional(),
  telemetry: z.object({ tokensIn: z.number().int().min(0), tokensOut: z.number().int().min(0), latencyMs: z.number().min(0), costUsd: z.number().min(0), model: z.string() }),
});

/** The assignment as the agent sees it (no profile, no secrets). */
export function assignmentView(a: Assignment, workdir: string | undefined) {
  return {
    runId: a.runId,
    taskId: a.taskId,
    attempt: a.attempt,
    idempotencyKey: a.idempotencyKey,
    task: a.task,
    context: a.context,
    deadline: new Date(a.deadline).toISOString(),
    workdir: workdir ?? null,
  };
}

/** One LISTEN shared by every waiting attempt of this process; a poll covers a lost notification. */
function createWaiter(store: Store, logger: Logger) {
  const waiting = new Map<string, Set<() => void>>();
  let listening: Promise<() => Promise<void>> | undefined;
  const ensure = () =>
    (listening ??= store.listen(CHANNEL_NOTIFY, (key) => {
      for (const wake of waiting.get(key) ?? []) wake();
    }).catch((error) => {
      listening = undefined;
      logger.warn({ err: (error as Error).message }, 'employee channel: LISTEN failed; polling only');
      return async () => undefined;
    }));
  return {
    async wait(key: string, ms: number, signal: AbortSignal): Promise<void> {
      await ensure();
      await new Promise<void>((resolve) => {
        const set = waiting.get(key) ?? new Set();
        waiting.set(key, set);
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          set.delete(done);
          if (!set.size) waiting.delete(key);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
        set.add(done);
      });
    },
    async close() {
      const stop = await listening;
      listening = undefined;
      await stop?.();
    },
  };
}

export interface ChannelWorkers {
  factory: WorkerFactory;
  close(): Promise<void>;
}

export function createChannelWorkers(deps: { store: Store; logger: Logger; pollMs?: number }): ChannelWorkers {
  const { store, logger } = deps;
  const pollMs = deps.pollMs ?? 1000;
  const waiter = createWaiter(store, logger);
  const worker = (employee: Employee): BaseModelWorker => ({
    capabilities: { provider: 'cli', model: employee.profile.model, kinds: ['code', 'doc', 'analysis', 'command', 'review'], structuredOutput: true, isolated: false },
    async execute(assignment, context): Promise<WorkResult> {
      const key = assignment.idempotencyKey;
      let row = await offerAssignment(store, {
        idempotency_key: key,
        employee_id: employee.id,
        run_id: assignment.runId,
        task_id: assignment.taskId,
        attempt: assignment.attempt,
        assignment: assignmentView(assignment, context.workdir),
        deadline: new Date(assignment.deadline),
      });
      for (;;) {
        if (row.status === 'submitted') {
          const parsed = submittedResultSchema.safeParse(row.result);
          if (!parsed.success) throw new AuraError('invalid_input', 'The agent submitted a result that cannot be read back.');
          return parsed.data as WorkResult;
        }
        if (context.signal.aborted) {
          await cancelAssignments(store, { key });
          throw context.signal.reason instanceof Error ? context.signal.reason : new AuraError('conflict', 'the attempt was stopped');
        }
        if (row.status === 'cancelled') throw new AuraError('conflict', 'the assignment was withdrawn');
        await waiter.wait(key, pollMs, context.signal);
        row = (await readAssignment(store, key)) ?? row;
      }
    },
    async cancel(taskId) {
      await cancelAssignments(store, { taskId });
    },
  });
  return { factory: worker, close: () => waiter.close() };
}
