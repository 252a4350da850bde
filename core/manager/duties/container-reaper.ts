// Removes the containers of dead Managers' attempts, found by their aura.manager label, and records each one as a
// ContainerReaped event on its run's stream. Only Managers registered in this database are reaped: an engine
// shared with other databases' Managers keeps their containers.
import { type ContainerRuntime, MANAGER_LABEL } from '../../containers/container-runtime';
import type { EventLog, NewEvent } from '../../events/event-log';
import type { Store } from '../../store/store';

export interface ContainerReaper {
  /** Removes every container of `owner`; resolves how many (throws when the engine cannot be reached). */
  reap(owner: string): Promise<number>;
  /** The engine it removes from (its ID), or null when the engine cannot tell. */
  engine(): Promise<string | null>;
}

export function createContainerReaper(deps: { runtime: ContainerRuntime; store: Store; events: EventLog; actor: string }): ContainerReaper {
  return {
    engine: async () => (deps.runtime.engineId ? deps.runtime.engineId().catch(() => null) : null),
    async reap(owner) {
      const found = await deps.runtime.listByLabels({ [MANAGER_LABEL]: owner });
      if (found.length === 0) return 0;
      await deps.runtime.removeByLabels({ [MANAGER_LABEL]: owner });
      const events: NewEvent[] = found.map((c) => {
        const attempt = Number(c.labels['aura.attempt']);
        const runId = c.labels['aura.run'] ?? null;
        return {
          type: 'ContainerReaped',
          runId,
          taskId: runId ? (c.labels['aura.task'] ?? null) : null,
          actor: deps.actor,
          payload: { containerId: c.id, manager: owner, attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : null, running: c.running },
        };
      });
      await deps.store.transaction((tx) => deps.events.appendIn(tx, events));
      return found.length;
    },
  };
}
