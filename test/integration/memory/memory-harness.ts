// Shared by the memory tests: a core over the suite's store with a clock the test moves, and the memory service on it.
import type { Clock } from '../../../core/domain/clock';
import { createMemoryService, type MemoryCaller, type MemoryService, type MemoryServiceOptions } from '../../../core/memory/memory-service';
import { memorySettings } from '../../../core/memory/memory-settings';
import type { Store } from '../../../core/store/store';
import { testCore } from '../../support/in-process-workers';

/** A clock that stands still until the test moves it (sleeps resolve at once). */
export function movableClock(start = new Date('2026-01-01T00:00:00Z')): Clock & { advance(ms: number): void; set(at: Date): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    sleep: async () => undefined,
    advance: (ms) => void (now += ms),
    set: (at) => void (now = at.getTime()),
  };
}

export const DIRECTOR: MemoryCaller = { actor: 'director:local', kind: 'director', workspaceId: 'default' };

export function openMemory(store: Store, options: MemoryServiceOptions & { clock?: Clock; env?: Partial<Parameters<typeof memorySettings>[0]> } = {}): { memory: MemoryService; core: ReturnType<typeof testCore> } {
  const core = testCore(store, { clock: options.clock });
  const settings = options.env ? memorySettings({ ...core.config, ...options.env }) : undefined;
  return { memory: createMemoryService(core, { ...options, settings: options.settings ?? settings }), core };
}
