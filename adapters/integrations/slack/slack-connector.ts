// The Slack connector on @slack/web-api (the only importer): chat.postMessage and auth.test, the client's own retries off.
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { slackMessageParams } from '../../../core/integrations/catalogs';
import type { Connector, ConnectorSpec } from '../../../core/integrations/connector';
import { IntegrationCallError, reasonOfStatus } from '../../../core/integrations/integration-error';
import { networkFailure } from '../network-failure';

/** Slack's error names that mean the token, not the request. */
const authErrors = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope']);

export function createSlackConnector(spec: ConnectorSpec): Connector {
  const apiUrl = `${spec.baseUrl.replace(/\/+$/, '')}/api/`;
  // Retries and rate limits are the port's (shared across Managers): the client gives up at once and says why; each
  // failure is an event of the port's, so the client's own warnings would only repeat them on the console.
  const client = new WebClient(spec.credential.reveal(), { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: spec.timeoutMs, logLevel: LogLevel.ERROR });
  return {
    kind: 'slack',
    async call(method, params) {
      try {
        if (method === 'post_message') {
          const p = slackMessageParams.parse(params);
          const answer = await client.chat.postMessage({ channel: p.channel, text: p.text, ...(p.threadTs ? { thread_ts: p.threadTs } : {}) });
          return { channel: answer.channel ?? p.channel, ts: answer.ts ?? null };
        }
        if (method === 'auth_test') {
          const answer = await client.auth.test();
          return { team: answer.team ?? null, user: answer.user ?? null, userId: answer.user_id ?? null };
        }
      } catch (error) {
        throw slackFailure(error);
      }
      throw new IntegrationCallError({ reason: 'refused', message: `slack has no method ${method}` });
    },
    async health() {
      try {
        const answer = await client.auth.test();
        return { ok: true, detail: `Slack answers; the token is ${answer.user ?? answer.user_id ?? 'a bot'} of ${answer.team ?? 'a workspace'}` };
      } catch (error) {
        return { ok: false, detail: slackFailure(error).message };
      }
    },
  };
}

function slackFailure(error: unknown): IntegrationCallError {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  if (e?.code === ErrorCode.RateLimitedError) return new IntegrationCallError({ reason: 'rate_limited', status: 429, message: `Slack is rate limiting (retry after ${e.retryAfter}s)`, retryAfterMs: (e.retryAfter ?? 1) * 1000 });
  if (e?.code === ErrorCode.HTTPError && typeof e.statusCode === 'number') return new IntegrationCallError({ reason: reasonOfStatus(e.statusCode), status: e.statusCode, message: `Slack answered ${e.statusCode}` });
  if (e?.code === ErrorCode.PlatformError) {
    const name = e.data?.error ?? 'unknown_error';
    return new IntegrationCallError({ reason: authErrors.has(name) ? 'auth' : name === 'ratelimited' ? 'rate_limited' : 'refused', status: 200, message: `Slack refused the call: ${name}` });
  }
  return networkFailure('Slack', error);
}
