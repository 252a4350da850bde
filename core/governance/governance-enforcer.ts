// Carries out committed governance decisions: a suspended employee's containers are killed and its work released,
// a run whose budget halts is paused, a finished run is archived. Driven by the event log (NOTIFY wakes, a poll backs up).
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { EventType } from '../events/catalog';
import type { StoredEvent } from '../events/stored-event';
import type { ContainerRuntime } from '../containers/container-runtime';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import type { RunArchive } from './archive/run-archive';
import { createWokenDrain } from '../events/woken-drain';

/** What the Manager lets governance ask of it (set once the orchestrator exists). */
export interface GovernanceHooks {
  /** Stops assigning the run's work (a budget halted it); the Director may resume it. */
  pauseRun?(runId: string, reason: string): Promise<void>;
  /** Ends and reassigns the attempts an employee is running (it was suspended or terminated). */
  releaseEmployee?(employeeId: string, reason: string): Promise<void>;
}

export interface GovernanceEnforcer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Handles every event not yet handled; returns how many it acted on. */
  drain(): Promise<number>;
  attach(hooks: GovernanceHooks): void;
}

const watched: EventType[] = ['EmployeeSuspended', 'EmployeeTerminated', 'CostLimitExceeded', 'RunCompleted', 'RunFailed', 'RunCancelled'];

export interface EnforcerDeps {
  store: Store;
  events: EventLog;
  logger: Logger;
  archive: RunArchive;
  runtime?: ContainerRuntime;
  /** Whether this process archives finished runs (one leader does; kills and pauses are safe anywhere). */
  archives?: () => boolean;
  pollMs?: number;
}

export function createGovernanceEnforcer(deps: EnforcerDeps): GovernanceEnforcer {
  const { store, events, logger } = deps;
  let hooks: GovernanceHooks = {};
  let cursor = 0;

  async function act(event: StoredEvent): Promise<void> {
    const p = event.payload as Record<string, unknown>;
    switch (event.type) {
      case 'EmployeeSuspended':
      case 'EmployeeTerminated': {
        const employeeId = String(p.employeeId);
        const reason = `${event.type === 'EmployeeSuspended' ? 'suspended' : 'terminated'}: ${String(p.reason)}`;
        const killed = deps.runtime ? await deps.runtime.killByLabels({ 'aura.employee': employeeId }) : 0;
        await hooks.releaseEmployee?.(employeeId, reason);
        logger.info({ employeeId, killed }, 'employee removed from work');
        return;
      }
      case 'CostLimitExceeded':
        if (p.action === 'halt' && String(p.scope).startsWith('run:') && event.runId) {
          await hooks.pauseRun?.(event.runId, `budget: ${String(p.scope)} spent $${Number(p.spentUsd).toFixed(4)} of $${Number(p.limitUsd).toFixed(4)} (rule ${String(p.rule ?? 'budget')})`);
        }
        return;
      default:
        if (event.runId && (deps.archives?.() ?? true)) await deps.archive.archive(event.runId, 'auditor');
    }
  }

  async function drainOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const page = await events.query({ types: watched, afterId: cursor, limit: 200 });
      for (const event of page) {
        try {
          await act(event);
          handled++;
        } catch (error) {
          // One failed action must not stop the others; it is logged with the event that asked for it.
          logger.error({ eventId: event.id, type: event.type, err: toAuraError(error).message }, 'governance could not carry out a decision');
        }
        cursor = event.id;
      }
      if (page.length < 200) return handled;
    }
  }

  const woken = createWokenDrain({ store, logger, pollMs: deps.pollMs ?? 2_000, pass: drainOnce, failure: 'governance enforcer failed to read events', drainAtStart: false });

  return {
    attach(next) {
      hooks = { ...hooks, ...next };
    },
    drain: woken.drain,
    async start() {
      cursor = Number((await store.query<{ id: number | null }>('SELECT max(id) AS id FROM aura.events')).rows[0]?.id ?? 0);
      await woken.start();
    },
    stop: woken.stop,
  };
}
