// The ConnectorFactory of the composition root: a connector per kind, each on its own client library.
import type { ConnectorFactory } from '../../core/integrations/connector';
import type { Workspace } from '../../core/workspace/workspace';
import { createGithubConnector } from './github/github-connector';
import { createJiraConnector } from './jira/jira-connector';
import { createSlackConnector } from './slack/slack-connector';

export function createConnectorFactory(deps: { workspace: Pick<Workspace, 'getRun'> }): ConnectorFactory {
  return {
    open(spec) {
      switch (spec.kind) {
        case 'jira':
          return createJiraConnector(spec);
        case 'slack':
          return createSlackConnector(spec);
        case 'github':
          return createGithubConnector(spec, deps);
      }
    },
  };
}
