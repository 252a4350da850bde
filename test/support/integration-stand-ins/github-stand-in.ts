// A stand-in for GitHub's REST API (pulls, repos) over a local bare repository: a pull request's head must be pushed there.
import { execFileSync } from 'node:child_process';
import { bodyOf, startStandInServer, type StandInServer } from './stand-in-server';

export interface GithubPull {
  number: number;
  title: string;
  body: string | null;
  head: string;
  headSha: string;
  base: string;
  draft: boolean;
  state: 'open';
}

export interface GithubStandIn extends StandInServer {
  pulls: GithubPull[];
}

function branchSha(bareRepo: string, branch: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: bareRepo, encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export async function startGithubStandIn(options: { token: string; owner: string; repo: string; bareRepo: string }): Promise<GithubStandIn> {
  const pulls: GithubPull[] = [];
  const prefix = `/repos/${options.owner}/${options.repo}`;
  const server = await startStandInServer((req) => {
    const auth = String(req.headers.authorization ?? '');
    if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`) return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
    if (req.method === 'GET' && req.path === prefix) return { status: 200, body: { id: 1, name: options.repo, full_name: `${options.owner}/${options.repo}`, private: false, default_branch: 'main' } };
    const view = (p: GithubPull) => ({ number: p.number, state: p.state, title: p.title, body: p.body, draft: p.draft, html_url: `https://github.com/${options.owner}/${options.repo}/pull/${p.number}`, head: { ref: p.head, sha: p.headSha }, base: { ref: p.base } });
    if (req.method === 'GET' && req.path === `${prefix}/pulls`) {
      const head = req.query.get('head')?.replace(`${options.owner}:`, '');
      const base = req.query.get('base');
      return { status: 200, body: pulls.filter((p) => (!head || p.head === head) && (!base || p.base === base)).map(view) };
    }
    if (req.method === 'POST' && req.path === `${prefix}/pulls`) {
      const b = bodyOf(req);
      const invalid = (message: string) => ({ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message }], documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request' } });
      if (typeof b.title !== 'string' || typeof b.head !== 'string' || typeof b.base !== 'string') return invalid('title, head and base are required');
      const headSha = branchSha(options.bareRepo, b.head);
      if (!headSha) return invalid(`head sha can't be blank; no branch ${b.head}`);
      if (!branchSha(options.bareRepo, b.base)) return invalid(`base ${b.base} does not exist`);
      if (pulls.some((p) => p.head === b.head && p.base === b.base)) return invalid(`A pull request already exists for ${options.owner}:${b.head}.`);
      const pull: GithubPull = { number: pulls.length + 1, title: b.title, body: typeof b.body === 'string' ? b.body : null, head: b.head, headSha, base: b.base, draft: b.draft === true, state: 'open' };
      pulls.push(pull);
      return { status: 201, body: view(pull) };
    }
    return null;
  });
  return Object.assign(server, { pulls });
}
