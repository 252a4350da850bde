// A failure that is no HTTP answer (refused, reset, timed out) as a retryable IntegrationCallError.
import { IntegrationCallError } from '../../core/integrations/integration-error';

export function networkFailure(system: string, error: unknown): IntegrationCallError {
  if (IntegrationCallError.isIntegrationCallError(error)) return error;
  const e = error as { code?: string; message?: string; name?: string } | null;
  const code = e?.code ?? e?.name ?? 'error';
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'TimeoutError' || /timeout/i.test(e?.message ?? '');
  return new IntegrationCallError({ reason: timedOut ? 'timeout' : 'network', message: `${system} could not be reached (${code}): ${(e?.message ?? String(error)).slice(0, 200)}` });
}
