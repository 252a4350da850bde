// Each connector kind's methods (which are external writes, each one's params) and its non-secret settings, as zod schemas.
import { z } from 'zod';
import { AuraError, describeIssues } from '../domain/errors';
import type { ConnectorKind, MethodCatalog } from './connector';

const text = (max: number) => z.string().min(1).max(max);
const runId = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'expected a run id');

export const jiraIssueParams = z.strictObject({
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, 'expected a Jira project key (e.g. AURA)'),
  summary: text(255),
  description: z.string().max(30_000).optional(),
  issueType: text(60).default('Task').describe('the issue type’s name (Task, Story, Bug, ...)'),
  labels: z.array(z.string().regex(/^\S{1,255}$/, 'a label has no spaces')).max(20).optional(),
  /** The epic an issue belongs to (its key), when it has one. */
  parentKey: z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/, 'expected an issue key (e.g. AURA-12)').optional(),
});
export const jiraEpicParams = jiraIssueParams.omit({ issueType: true, parentKey: true });

export const slackMessageParams = z.strictObject({
  channel: z.string().regex(/^[#@]?[A-Za-z0-9._-]{1,80}$/, 'expected a channel id or name'),
  text: text(40_000),
  threadTs: z.string().regex(/^\d+\.\d+$/, 'expected a message ts (e.g. 1712345678.000100)').optional(),
});

export const githubPullParams = z.strictObject({
  runId: runId.describe('the run whose branch aura/run-<id> is pushed and proposed'),
  title: text(256),
  body: z.string().max(60_000).optional(),
  base: z.string().regex(/^[A-Za-z0-9._/-]{1,200}$/, 'expected a branch name').default('main'),
  draft: z.boolean().default(false),
});

const noParams = z.strictObject({});

export const connectorCatalogs: Record<ConnectorKind, MethodCatalog> = {
  jira: {
    create_issue: { write: true, description: 'Creates an issue (POST /rest/api/3/issue).', params: jiraIssueParams },
    create_epic: { write: true, description: 'Creates an epic: an issue of type Epic.', params: jiraEpicParams },
    whoami: { write: false, description: 'The user the credential speaks as (GET /rest/api/3/myself).', params: noParams },
  },
  slack: {
    post_message: {
      write: true,
      description: 'Posts a message (chat.postMessage); the same channel, thread and text is one message, never posted twice.',
      params: slackMessageParams,
      dedupKey: (p: z.infer<typeof slackMessageParams>) => ({ channel: p.channel, threadTs: p.threadTs ?? null, text: p.text }),
    },
    auth_test: { write: false, description: 'Who the token is (auth.test).', params: noParams },
  },
  github: {
    open_pull_request: {
      write: true,
      description: 'Pushes the run branch aura/run-<id> to the configured remote and opens a pull request from it (POST /repos/{owner}/{repo}/pulls).',
      params: githubPullParams,
      dedupKey: (p: z.infer<typeof githubPullParams>) => ({ runId: p.runId, base: p.base }),
    },
    get_repository: { write: false, description: 'The configured repository (GET /repos/{owner}/{repo}).', params: noParams },
  },
};

const slug = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/);
export const settingsSchemas = {
  jira: z.strictObject({
    /** basic: email + API token (Jira Cloud); bearer: a personal access token or OAuth access token. */
    auth: z.enum(['basic', 'bearer']).default('basic'),
    email: z.string().email().optional(),
  }).refine((s) => s.auth !== 'basic' || s.email !== undefined, { message: 'basic auth needs email (the API token’s owner)', path: ['email'] }),
  slack: z.strictObject({}),
  github: z.strictObject({
    owner: slug,
    repo: slug,
    /** Where the run branch is pushed before the pull request is opened: a git URL or a path (a bare repository). */
    pushRemote: z
      .string()
      .min(1)
      .max(500)
      .refine((r) => !/^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(r) || /^ssh:\/\/[^/:@]+@/i.test(r), 'a push remote carries no credentials: the connector’s credentialRef is sent as a header'),
  }),
} as const;

export function checkSettings(kind: ConnectorKind, settings: Record<string, unknown>): Record<string, unknown> {
  const parsed = settingsSchemas[kind].safeParse(settings);
  if (!parsed.success) throw new AuraError('invalid_input', `${kind} settings are invalid: ${describeIssues(parsed.error.issues)}`);
  return parsed.data as Record<string, unknown>;
}
