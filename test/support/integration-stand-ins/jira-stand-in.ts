// A stand-in for Jira Cloud's REST API v3 (POST /rest/api/3/issue, GET /rest/api/3/myself), checking auth and bodies.
import { bodyOf, startStandInServer, type StandInServer } from './stand-in-server';

export interface JiraIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  issueType: string;
  description: unknown;
  labels: string[];
  parent: string | null;
}

export interface JiraStandIn extends StandInServer {
  issues: JiraIssue[];
}

/** Accepts Basic base64(email:token) or Bearer token; projects and issue types are what a fresh Jira site has. */
export async function startJiraStandIn(options: { email?: string; token: string; projects?: string[] }): Promise<JiraStandIn> {
  const issues: JiraIssue[] = [];
  const projects = new Set(options.projects ?? ['AURA']);
  const issueTypes = new Set(['Task', 'Story', 'Bug', 'Epic', 'Subtask']);
  const accepted = new Set([`Bearer ${options.token}`, ...(options.email ? [`Basic ${Buffer.from(`${options.email}:${options.token}`).toString('base64')}`] : [])]);
  const server = await startStandInServer((req) => {
    if (!accepted.has(String(req.headers.authorization ?? ''))) return { status: 401, body: { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} } };
    if (req.method === 'GET' && req.path === '/rest/api/3/myself') return { status: 200, body: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Aura Bot', emailAddress: options.email ?? null, active: true } };
    if (req.method === 'POST' && req.path === '/rest/api/3/issue') {
      const fields = (bodyOf(req).fields ?? {}) as Record<string, any>;
      const errors: Record<string, string> = {};
      if (!projects.has(fields.project?.key)) errors.project = 'Specify a valid project ID or key';
      if (typeof fields.summary !== 'string' || fields.summary.trim() === '') errors.summary = 'You must specify a summary of the issue.';
      if (!issueTypes.has(fields.issuetype?.name)) errors.issuetype = 'Specify an issue type';
      if (fields.description !== undefined && fields.description?.type !== 'doc') errors.description = 'Operation value must be an Atlassian Document';
      if (Object.keys(errors).length) return { status: 400, body: { errorMessages: [], errors } };
      const id = String(10000 + issues.length + 1);
      const key = `${fields.project.key}-${issues.filter((i) => i.project === fields.project.key).length + 1}`;
      issues.push({ id, key, project: fields.project.key, summary: fields.summary, issueType: fields.issuetype.name, description: fields.description ?? null, labels: fields.labels ?? [], parent: fields.parent?.key ?? null });
      return { status: 201, body: { id, key, self: `${server.url}/rest/api/3/issue/${id}` } };
    }
    return null;
  });
  return Object.assign(server, { issues });
}
