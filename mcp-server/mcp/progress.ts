// Progress notifications for long calls: sent only when the caller gave a progressToken, always increasing.
import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { ProgressReporter } from './tool-definition';

export function createProgressReporter(
  token: string | number | undefined,
  send: (notification: ServerNotification) => Promise<void>,
): ProgressReporter {
  let last = -Infinity;
  return {
    async report(progress, total, message) {
      if (token === undefined || progress <= last) return;
      last = progress;
      await send({ method: 'notifications/progress', params: { progressToken: token, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) } }).catch(() => {
        // The caller went away mid-call; the operation itself carries on and its result is still recorded.
      });
    },
  };
}

/** Reports a heartbeat every `everyMs` while `work` runs (for a call whose own steps cannot be counted). */
export async function withHeartbeat<T>(progress: ProgressReporter, message: string, work: Promise<T>, everyMs = 1000): Promise<T> {
  let beat = 0;
  void progress.report(0, undefined, message);
  const timer = setInterval(() => void progress.report(++beat, undefined, message), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
