// The integration tests' rig: the three stand-ins, a run with its repository and a bare remote, and a service over them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnectorFactory } from '../../../adapters/integrations/connector-factory';
import { createGitWorkspace } from '../../../adapters/git-workspace/git-workspace';
import type { CoreContext } from '../../../core/core-context';
import { createIntegrations, type IntegrationsOptions, type IntegrationsService } from '../../../core/integrations/integrations-service';
import type { Workspace } from '../../../core/workspace/workspace';
import { startGithubStandIn, type GithubStandIn } from '../../support/integration-stand-ins/github-stand-in';
import { startJiraStandIn, type JiraStandIn } from '../../support/integration-stand-ins/jira-stand-in';
import { startSlackStandIn, type SlackStandIn } from '../../support/integration-stand-ins/slack-stand-in';

export const SECRETS = { jira: 'jira-api-token-7f3a9c1d5e', slack: 'xoxb-slack-token-4b8e2f6a0c', github: 'ghp_githubtoken9d1c7e3b5a' };
export const EMAIL = 'bot@aura.example';
export const secrets = { env: { AURA_TEST_JIRA_TOKEN: SECRETS.jira, AURA_TEST_SLACK_TOKEN: SECRETS.slack, AURA_TEST_GITHUB_TOKEN: SECRETS.github } };

export interface Rig {
  jira: JiraStandIn;
  slack: SlackStandIn;
  github: GithubStandIn;
  workspace: Workspace;
  bareRemote: string;
  runId: string;
  open(core: CoreContext, extra?: Partial<IntegrationsOptions>): IntegrationsService;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-integrations-'));
  const bareRemote = path.join(dir, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bareRemote]);
  const workspace = createGitWorkspace({ workspacesDir: path.join(dir, 'workspaces') });
  const runId = `run_int${Date.now().toString(36)}`;
  const run = await workspace.openRun(runId);
  // The remote has the base branch, as a GitHub repository would; the run branch gets there only by the connector's push.
  execFileSync('git', ['push', '--quiet', bareRemote, 'refs/heads/main:refs/heads/main'], { cwd: run.repoPath });
  const jira = await startJiraStandIn({ email: EMAIL, token: SECRETS.jira });
  const slack = await startSlackStandIn({ token: SECRETS.slack });
  const github = await startGithubStandIn({ token: SECRETS.github, owner: 'aura-org', repo: 'product', bareRepo: bareRemote });
  const factory = createConnectorFactory({ workspace });
  return {
    jira,
    slack,
    github,
    workspace,
    bareRemote,
    runId,
    open: (core, extra = {}) =>
      createIntegrations(core, { factory, secrets, retry: { baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 3_000 }, runner: { pollMs: 50, leaseMs: 5_000 }, ...extra }),
    async close() {
      await Promise.all([jira.close(), slack.close(), github.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Configures one connector of each kind in the default workspace, pointed at the stand-ins. */
export async function configureAll(service: IntegrationsService, rig: Rig, limits: { ratePerSecond?: number; burst?: number } = {}) {
  const actor = 'director:test';
  await service.configure({ name: 'jira', kind: 'jira', baseUrl: rig.jira.url, credentialRef: 'env:AURA_TEST_JIRA_TOKEN', settings: { auth: 'basic', email: EMAIL }, ...limits }, actor);
  await service.configure({ name: 'slack', kind: 'slack', baseUrl: rig.slack.url, credentialRef: 'env:AURA_TEST_SLACK_TOKEN', ...limits }, actor);
  await service.configure(
    { name: 'github', kind: 'github', baseUrl: rig.github.url, credentialRef: 'env:AURA_TEST_GITHUB_TOKEN', settings: { owner: 'aura-org', repo: 'product', pushRemote: rig.bareRemote }, ...limits },
    actor,
  );
}
