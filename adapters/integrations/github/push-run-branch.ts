// Pushes a run's branch aura/run-<id> from the run's repository to the remote a pull request is opened on.
import type { Workspace } from '../../../core/workspace/workspace';
import { IntegrationCallError } from '../../../core/integrations/integration-error';
import type { Secret } from '../../../core/workforce/secret-ref';
import { runGit } from '../../git-workspace/git-cli';

/**
 * The remote is the configured pushRemote (a URL or a path). Over http(s) the token goes in an Authorization header
 * given through GIT_CONFIG_* variables: never in the URL, the arguments, the remote's configuration or an error.
 */
export async function pushRunBranch(workspace: Pick<Workspace, 'getRun'>, runId: string, remote: string, token: Secret): Promise<{ branch: string; head: string }> {
  const run = await workspace.getRun(runId);
  if (!run) throw new IntegrationCallError({ reason: 'refused', message: `Run ${runId} has no workspace (its branch was never made); nothing to propose.` });
  const env: Record<string, string> = /^https?:\/\//.test(remote)
    ? { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${token.reveal()}`).toString('base64')}` }
    : {};
  const head = (await runGit(['rev-parse', '--verify', `refs/heads/${run.runBranch}^{commit}`], { cwd: run.repoPath })).stdout.trim();
  const pushed = await runGit(['push', '--porcelain', remote, `refs/heads/${run.runBranch}:refs/heads/${run.runBranch}`], { cwd: run.repoPath, env, okCodes: [0, 1, 128], timeoutMs: 120_000 });
  if (pushed.exitCode !== 0) {
    const said = token.scrub(`${pushed.stderr}\n${pushed.stdout}`.trim()).slice(0, 300);
    // A rejected push (the remote's branch moved) is the request; an unreachable remote may pass.
    const rejected = /\[rejected\]|non-fast-forward|fetch first/.test(said);
    throw new IntegrationCallError({ reason: rejected ? 'refused' : 'network', message: `Pushing ${run.runBranch} failed: ${said}` });
  }
  return { branch: run.runBranch, head };
}
