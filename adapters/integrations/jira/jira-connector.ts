// The Jira connector on jira.js (the only importer): issues and epics through Version3Client, errors mapped for retries.
import { HttpException, Version3Client } from 'jira.js';
import { jiraEpicParams, jiraIssueParams, settingsSchemas } from '../../../core/integrations/catalogs';
import type { Connector, ConnectorSpec } from '../../../core/integrations/connector';
import { IntegrationCallError, parseRetryAfter, reasonOfStatus } from '../../../core/integrations/integration-error';
import { networkFailure } from '../network-failure';

export function createJiraConnector(spec: ConnectorSpec): Connector {
  const settings = settingsSchemas.jira.parse(spec.settings);
  const token = spec.credential.reveal();
  const baseRequestConfig = { timeout: spec.timeoutMs };
  // basic: the API token's owner and the token (Jira Cloud); bearer: a personal access token or OAuth access token.
  const client =
    settings.auth === 'basic'
      ? new Version3Client({ host: spec.baseUrl, authentication: { basic: { email: settings.email!, apiToken: token } }, baseRequestConfig })
      : new Version3Client({ host: spec.baseUrl, authentication: { oauth2: { accessToken: token } }, baseRequestConfig });

  async function createIssue(fields: { projectKey: string; summary: string; description?: string; issueType: string; labels?: string[]; parentKey?: string }) {
    const created = await client.issues.createIssue({
      fields: {
        project: { key: fields.projectKey },
        summary: fields.summary,
        issuetype: { name: fields.issueType },
        ...(fields.description !== undefined ? { description: fields.description } : {}),
        ...(fields.labels ? { labels: fields.labels } : {}),
        ...(fields.parentKey ? { parent: { key: fields.parentKey } } : {}),
      },
    });
    return { id: String(created.id), key: String(created.key), self: String(created.self) };
  }

  return {
    kind: 'jira',
    async call(method, params) {
      try {
        if (method === 'create_issue') return await createIssue(jiraIssueParams.parse(params));
        if (method === 'create_epic') return await createIssue({ ...jiraEpicParams.parse(params), issueType: 'Epic' });
        if (method === 'whoami') {
          const me = await client.myself.getCurrentUser();
          return { accountId: me.accountId ?? null, displayName: me.displayName ?? null };
        }
      } catch (error) {
        throw jiraFailure(error);
      }
      throw new IntegrationCallError({ reason: 'refused', message: `jira has no method ${method}` });
    },
    async health() {
      try {
        const me = await client.myself.getCurrentUser();
        return { ok: true, detail: `Jira answers; the credential is ${me.displayName ?? me.accountId ?? 'a user'}` };
      } catch (error) {
        return { ok: false, detail: jiraFailure(error).message };
      }
    },
  };
}

/** jira.js wraps an HTTP answer in HttpException (its cause the axios error with the headers); anything else is the network. */
function jiraFailure(error: unknown): IntegrationCallError {
  if (error instanceof HttpException || (error as { name?: string } | null)?.name === 'HttpException') {
    const e = error as HttpException;
    const headers = (e.cause as { response?: { headers?: Record<string, unknown> } } | undefined)?.response?.headers ?? {};
    const data = (e.response as { data?: { errorMessages?: string[]; errors?: Record<string, string> } } | undefined)?.data;
    const said = [...(data?.errorMessages ?? []), ...Object.entries(data?.errors ?? {}).map(([k, v]) => `${k}: ${v}`)].join('; ');
    const retryAfter = headers['retry-after'];
    return new IntegrationCallError({
      reason: reasonOfStatus(e.status),
      status: e.status,
      message: `Jira answered ${e.status}${said ? `: ${said.slice(0, 300)}` : ''}`,
      retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined),
    });
  }
  return networkFailure('Jira', error);
}
