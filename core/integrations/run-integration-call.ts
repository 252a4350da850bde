// Runs one call to an external system: credential resolved now, the shared rate limit, retries, recording, its events.
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { CallRecorder } from '../replay/call-recorder';
import type { Store } from '../store/store';
import { resolveSecretRef, type Secret, type SecretSources } from '../workforce/secret-ref';
import type { ConnectorFactory } from './connector';
import { IntegrationCallError } from './integration-error';
import { type ConnectorConfig, INTEGRATIONS_STREAM, type IntegrationCall } from './integration-schema';
import { acquireToken } from './rate-limit';
import { attemptsOf, type RetryPolicy, withRetries } from './retry-policy';

export interface CallRunnerDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  logger: Logger;
  factory: ConnectorFactory;
  /** Records each call's outcome (record), or serves it back without calling the system (replay). */
  recorder?: CallRecorder;
  secrets?: SecretSources;
  retry: RetryPolicy;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
}

export type CallOutcome = { ok: true; value: unknown; attempts: number } | { ok: false; error: Error; attempts: number };

/** What identifies a call for recording: the connector (by workspace and name), the method and its params. Never a secret. */
export function recordedCall(connector: ConnectorConfig, call: Pick<IntegrationCall, 'method' | 'params'>) {
  return { kind: 'tool' as const, provider: `integration:${connector.kind}`, model: call.method, params: { workspaceId: connector.workspaceId, connector: connector.name, params: call.params } };
}

export async function runIntegrationCall(deps: CallRunnerDeps, connector: ConnectorConfig, call: IntegrationCall): Promise<CallOutcome> {
  const started = deps.clock.now().getTime();
  const base = { callId: call.id, connectorId: connector.id, workspaceId: connector.workspaceId, kind: connector.kind, method: call.method };
  const eventOf = { actor: 'integrations', stream: INTEGRATIONS_STREAM, runId: call.runId } as const;
  let attempts = 0;
  let rateLimitedMs = 0;
  let secret: Secret | undefined;
  const scrub = (text: string) => (secret ? secret.scrub(text) : text);
  const live = async (): Promise<unknown> => {
    const outcome = await withRetries(
      async () => {
        attempts++;
        // Resolved at each attempt: a rotated file or variable takes effect on the next one; never cached, never logged.
        secret = resolveSecretRef(connector.credentialRef, deps.secrets, 'credentialRef');
        rateLimitedMs += await acquireToken(deps.store, connector.id, connector, { now: () => deps.clock.now(), sleep: deps.sleep });
        const port = deps.factory.open({ kind: connector.kind, baseUrl: connector.baseUrl, settings: connector.settings, credential: secret, timeoutMs: deps.timeoutMs });
        try {
          return await port.call(call.method, call.params, { runId: call.runId, idempotencyKey: call.idempotencyKey });
        } catch (error) {
          throw scrubbed(error, scrub);
        }
      },
      deps.retry,
      {
        sleep: deps.sleep,
        random: deps.random,
        onRetry: async ({ attempt, waitMs, error }) => {
          const status = IntegrationCallError.isIntegrationCallError(error) ? (error.status ?? null) : null;
          await deps.events.append({ ...eventOf, type: 'IntegrationCallRetried', payload: { ...base, attempt, waitMs, status, error: error.message.slice(0, 500) } });
        },
      },
    );
    return outcome.value;
  };
  try {
    const value = deps.recorder ? await deps.recorder.call(recordedCall(connector, call), live) : await live();
    await deps.events.append({
      ...eventOf,
      type: 'IntegrationCallSucceeded',
      payload: { ...base, attempts, durationMs: deps.clock.now().getTime() - started, rateLimitedMs, replayed: attempts === 0 },
    });
    return { ok: true, value, attempts };
  } catch (error) {
    const aura = toAuraError(error);
    const status = IntegrationCallError.isIntegrationCallError(error) ? (error.status ?? null) : typeof aura.details?.status === 'number' ? aura.details.status : null;
    const reason = typeof aura.details?.reason === 'string' ? aura.details.reason : aura.code;
    const made = attempts === 0 ? 0 : Math.max(attempts, attemptsOf(error));
    await deps.events.append({ ...eventOf, type: 'IntegrationCallFailed', payload: { ...base, attempts: made, status, reason, error: scrub(aura.message).slice(0, 500) } });
    deps.logger.warn({ callId: call.id, connectorId: connector.id, method: call.method, attempts: made, err: scrub(aura.message) }, 'integration call failed');
    return { ok: false, error: aura, attempts: made };
  }
}

/** The same failure with any trace of the credential removed from its text (an SDK may echo a header back). */
function scrubbed(error: unknown, scrub: (text: string) => string): Error {
  if (IntegrationCallError.isIntegrationCallError(error)) {
    return new IntegrationCallError({ reason: error.reason, message: scrub(error.message), status: error.status, retryAfterMs: error.retryAfterMs });
  }
  const aura = toAuraError(error);
  return new IntegrationCallError({ reason: aura.retryable ? 'network' : 'refused', message: scrub(aura.message) });
}
