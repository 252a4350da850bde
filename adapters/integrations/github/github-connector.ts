// The GitHub connector on @octokit/rest (the only importer): a pull request from the run branch, pushed first.
import { Octokit } from '@octokit/rest';
import { githubPullParams, settingsSchemas } from '../../../core/integrations/catalogs';
import type { Connector, ConnectorSpec } from '../../../core/integrations/connector';
import { IntegrationCallError, parseRetryAfter, reasonOfStatus } from '../../../core/integrations/integration-error';
import type { Workspace } from '../../../core/workspace/workspace';
import { networkFailure } from '../network-failure';
import { pushRunBranch } from './push-run-branch';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function createGithubConnector(spec: ConnectorSpec, deps: { workspace: Pick<Workspace, 'getRun'> }): Connector {
  const settings = settingsSchemas.github.parse(spec.settings);
  const { owner, repo } = settings;
  const octokit = new Octokit({ auth: spec.credential.reveal(), baseUrl: spec.baseUrl.replace(/\/+$/, ''), log: quiet });
  // Octokit has no timeout of its own: each request carries a signal that aborts it past the deadline.
  const deadline = () => ({ request: { signal: AbortSignal.timeout(spec.timeoutMs) } });

  async function openPullRequest(params: unknown) {
    const p = githubPullParams.parse(params);
    const pushed = await pushRunBranch(deps.workspace, p.runId, settings.pushRemote, spec.credential);
    try {
      const { data } = await octokit.pulls.create({ owner, repo, head: pushed.branch, base: p.base, title: p.title, body: p.body, draft: p.draft, ...deadline() });
      return { number: data.number, url: data.html_url, head: pushed.branch, headSha: pushed.head, base: p.base, existing: false };
    } catch (error) {
      // Run again after a Manager died mid-call, the pull request may already be open: that one is the answer.
      if ((error as { status?: number }).status === 422) {
        const { data } = await octokit.pulls.list({ owner, repo, head: `${owner}:${pushed.branch}`, base: p.base, state: 'open', ...deadline() });
        const open = data[0];
        if (open) return { number: open.number, url: open.html_url, head: pushed.branch, headSha: pushed.head, base: p.base, existing: true };
      }
      throw error;
    }
  }

  return {
    kind: 'github',
    async call(method, params) {
      try {
        if (method === 'open_pull_request') return await openPullRequest(params);
        if (method === 'get_repository') {
          const { data } = await octokit.repos.get({ owner, repo, ...deadline() });
          return { fullName: data.full_name, defaultBranch: data.default_branch, private: data.private };
        }
      } catch (error) {
        throw githubFailure(error);
      }
      throw new IntegrationCallError({ reason: 'refused', message: `github has no method ${method}` });
    },
    async health() {
      try {
        const { data } = await octokit.repos.get({ owner, repo, ...deadline() });
        return { ok: true, detail: `GitHub answers; ${data.full_name} (default branch ${data.default_branch})` };
      } catch (error) {
        return { ok: false, detail: githubFailure(error).message };
      }
    },
  };
}

/** Octokit's RequestError carries the status and headers; GitHub's primary limit is a 403 with x-ratelimit-remaining 0. */
function githubFailure(error: unknown): IntegrationCallError {
  if (IntegrationCallError.isIntegrationCallError(error)) return error;
  const e = error as { name?: string; status?: number; response?: { headers?: Record<string, string | undefined>; data?: { message?: string } } };
  if (e?.name === 'HttpError' && typeof e.status === 'number' && e.response) {
    const headers = e.response.headers ?? {};
    const exhausted = e.status === 403 && headers['x-ratelimit-remaining'] === '0';
    const resetMs = headers['x-ratelimit-reset'] ? Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - Date.now()) : undefined;
    const said = e.response.data?.message;
    return new IntegrationCallError({
      reason: exhausted ? 'rate_limited' : reasonOfStatus(e.status),
      status: e.status,
      message: `GitHub answered ${e.status}${said ? `: ${String(said).slice(0, 300)}` : ''}`,
      retryAfterMs: parseRetryAfter(headers['retry-after']) ?? (exhausted ? resetMs : undefined),
    });
  }
  return networkFailure('GitHub', error);
}
