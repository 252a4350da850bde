// Watches one container's 'kill' and 'oom' events, so an end the runtime did not cause is named for what it was.
import type Docker from 'dockerode';

export interface ContainerEvents {
  readonly kills: number;
  readonly ooms: number;
  /** Resolves true once an 'oom' event beyond `before` has arrived, or false after `graceMs`. */
  oomAfter(before: number, graceMs: number): Promise<boolean>;
  close(): void;
}

/** Subscribes before the container starts: a kill by anyone (an operator, another process, an engine
 * shutting down) and the kernel's OOM kills show up here, which the exit code alone cannot tell apart. */
export async function watchContainerEvents(docker: Docker, containerId: string): Promise<ContainerEvents> {
  const stream = (await docker.getEvents({ filters: { container: [containerId], event: ['kill', 'oom'] } })) as NodeJS.ReadableStream & { destroy?: () => void };
  let kills = 0;
  let ooms = 0;
  let partial = '';
  const waiters = new Set<() => void>();
  stream.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      let event: { status?: string; Action?: string };
      try {
        event = JSON.parse(line) as { status?: string; Action?: string };
      } catch {
        continue; // not an event line; the engine sends one JSON object per line
      }
      const action = event.Action ?? event.status ?? '';
      if (action === 'oom') ooms += 1;
      else if (action.startsWith('kill')) kills += 1;
    }
    for (const wake of waiters) wake();
  });
  stream.on('error', () => undefined); // the engine going away is reported by the wait on the container
  return {
    get kills() {
      return kills;
    },
    get ooms() {
      return ooms;
    },
    oomAfter(before, graceMs) {
      if (ooms > before) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const wake = () => {
          if (ooms <= before) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve(ooms > before);
        }, graceMs);
        waiters.add(wake);
      });
    },
    close() {
      stream.destroy?.();
    },
  };
}
