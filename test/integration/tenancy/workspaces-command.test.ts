// `aura workspaces create|list|show|set-quota` and `aura tokens create --workspace` on a real home.
import assert from 'node:assert/strict';
import { childEnv, runCli } from '../../support/cli';
import { seededHome } from '../mcp/support/mcp-harness';

describe('aura workspaces', function () {
  this.timeout(180_000);

  it('creates a workspace with quotas, changes one, shows its usage, scopes a token to it, and refuses bad input', async () => {
    const env = childEnv({ AURA_HOME: await seededHome(), AURA_LOG_LEVEL: 'warn' });
    const created = await runCli(['workspaces', 'create', 'team-a', '--name', 'Team A', '--max-active-runs', '3', '--monthly-budget', '25.5', '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(
      (({ id, name, maxActiveRuns, maxContainers, monthlyBudgetUsd }) => ({ id, name, maxActiveRuns, maxContainers, monthlyBudgetUsd }))(JSON.parse(created.stdout)),
      { id: 'team-a', name: 'Team A', maxActiveRuns: 3, maxContainers: null, monthlyBudgetUsd: 25.5 },
    );
    const changed = await runCli(['workspaces', 'set-quota', 'team-a', '--max-containers', '2', '--monthly-budget', 'none'], env);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /team-a\s+Team A {2}runs 3, containers 2, monthly budget no limit/);
    const listed = await runCli(['workspaces', 'list'], env);
    assert.match(listed.stdout, /^default\s+Default {2}runs no limit/m);
    assert.match(listed.stdout, /^team-a\s+/m);
    const shown = await runCli(['workspaces', 'show', 'team-a'], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /now: 0 runs not settled, 0 containers running, \$0\.0000 spent since \d{4}-\d{2}-01/);

    const token = await runCli(['tokens', 'create', '--role', 'operator', '--name', 'ci-a', '--workspace', 'team-a', '--json'], env);
    assert.equal(token.code, 0, token.stderr);
    assert.equal((JSON.parse(token.stdout) as { workspaceId: string }).workspaceId, 'team-a');
    assert.match((await runCli(['tokens', 'list'], env)).stdout, /ci-a\s+active\s+workspace team-a/);

    const unknown = await runCli(['tokens', 'create', '--role', 'viewer', '--workspace', 'nowhere'], env);
    assert.equal(unknown.code, 5, unknown.stderr);
    assert.match(unknown.stderr, /No workspace with id "nowhere"/);
    const badQuota = await runCli(['workspaces', 'set-quota', 'team-a', '--max-containers', '1.5'], env);
    assert.equal(badQuota.code, 2);
    assert.match(badQuota.stderr, /--max-containers must be a whole number of 0 or more, or "none"/);
    const badId = await runCli(['workspaces', 'create', 'Team A'], env);
    assert.equal(badId.code, 2);
    assert.match(badId.stderr, /lower-case letters/);
  });
});
