// Answers "can this employee's work run now?": container employees only while the container engine answers.
// When it does not, their tasks wait in the queue; nothing ever runs outside a container instead.
import type { ContainerRuntime } from '../../containers/container-runtime';
import type { Employee } from '../employee';

export type RunNow = { ok: true } | { ok: false; reason: string };

export interface EngineGate {
  canRun(employee: Employee): Promise<RunNow>;
  /** Whether container work of any employee can run now (the Manager's "can run now?" gate). */
  engineReady(): Promise<RunNow>;
  /** The last answer of the engine (for /ready and logs). */
  lastDetail(): string;
}

/** Providers whose workers run in a container (every one except in-process test employees). */
export function needsContainer(employee: Employee): boolean {
  return employee.profile.provider !== 'in-process';
}

export function createEngineGate(runtime: ContainerRuntime, options: { cacheMs?: number; now?: () => number } = {}): EngineGate {
  const { cacheMs = 1_000, now = Date.now } = options;
  let cached: { at: number; ok: boolean; detail: string } | undefined;
  let pending: Promise<{ ok: boolean; detail: string }> | undefined;
  const ping = async () => {
    if (cached && now() - cached.at < cacheMs) return cached;
    pending ??= runtime
      .ping()
      .catch((error: unknown) => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }))
      .then((r) => {
        cached = { at: now(), ...r };
        pending = undefined;
        return cached;
      });
    return pending;
  };
  const engineReady = async (): Promise<RunNow> => {
    const answer = await ping();
    return answer.ok ? { ok: true } : { ok: false, reason: `the container engine is unreachable (${answer.detail}); the task waits until it is back` };
  };
  return {
    canRun: async (employee) => (needsContainer(employee) ? engineReady() : { ok: true }),
    engineReady,
    lastDetail: () => cached?.detail ?? 'not asked yet',
  };
}
