// Integration tools: connectors per workspace (Jira, Slack, GitHub), their health, and calls (writes wait for the Director).
import { z } from 'zod';
import { connectorKinds } from '../../../core/integrations/connector';
import { callInputSchema, callStatuses, type ConnectorConfig, configureInputSchema, type IntegrationCall } from '../../../core/integrations/integration-schema';
import { DIRECTOR_ONLY, OPERATORS, READERS } from '../../auth/roles';
import type { McpServices } from '../services';
import { defineTool, IDEMPOTENT_CHANGE, ADDITIVE, READ_ONLY, type ToolDefinition } from '../tool-definition';
import { iso } from './views';

const connectorSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  kind: z.enum(connectorKinds),
  baseUrl: z.string(),
  credentialRef: z.string().describe('where the credential is read from at each call (env:NAME, file:/path); never the value'),
  settings: z.record(z.string(), z.unknown()),
  ratePerSecond: z.number(),
  burst: z.number().int(),
  methods: z.array(z.object({ name: z.string(), write: z.boolean().describe('held for the Director’s approval'), description: z.string() })),
  updatedAt: z.string(),
});

const callSchema = z.object({
  id: z.string().describe('the call’s id; for a write, also its approval’s id'),
  connectorId: z.string(),
  workspaceId: z.string(),
  method: z.string(),
  write: z.boolean(),
  status: z.enum(callStatuses),
  idempotencyKey: z.string(),
  runId: z.string().nullable(),
  attempts: z.number().int(),
  result: z.unknown(),
  error: z.string().nullable(),
  requestedAt: z.string(),
  finishedAt: z.string().nullable(),
});

// The workspace is the token's (docs/tenancy.md), never an argument: a session reaches only its own connectors and calls.
const configureInput = configureInputSchema.omit({ workspaceId: true });
const callInput = callInputSchema.omit({ workspaceId: true });
const network = { openWorldHint: true } as const;

export function integrationsTools(services: McpServices): ToolDefinition[] {
  const integrations = services.integrations;
  if (!integrations) return [];
  const connectorView = (c: ConnectorConfig): z.infer<typeof connectorSchema> => ({
    id: c.id,
    workspaceId: c.workspaceId,
    name: c.name,
    kind: c.kind,
    baseUrl: c.baseUrl,
    credentialRef: c.credentialRef,
    settings: c.settings,
    ratePerSecond: c.ratePerSecond,
    burst: c.burst,
    methods: integrations.methods(c.kind),
    updatedAt: c.updatedAt,
  });
  const callView = (c: IntegrationCall): z.infer<typeof callSchema> => ({
    id: c.id,
    connectorId: c.connectorId,
    workspaceId: c.workspaceId,
    method: c.method,
    write: c.write,
    status: c.status,
    idempotencyKey: c.idempotencyKey,
    runId: c.runId,
    attempts: c.attempts,
    result: c.result,
    error: c.error,
    requestedAt: iso(c.requestedAt)!,
    finishedAt: iso(c.finishedAt),
  });
  return [
    defineTool({
      name: 'list_integrations',
      title: 'List integrations',
      group: 'integrations',
      description: 'The connectors of your workspace (Jira, Slack, GitHub) with their methods; a write method is held for the Director before it runs.',
      roles: READERS,
      input: z.strictObject({}),
      output: z.object({ connectors: z.array(connectorSchema) }),
      annotations: READ_ONLY,
      run: async (_args, { principal }) => ({ connectors: (await integrations.list(principal.workspaceId)).map(connectorView) }),
    }),
    defineTool({
      name: 'configure_integration',
      title: 'Configure an integration',
      group: 'integrations',
      description:
        'Adds or replaces a connector in your workspace: kind, base URL, a credential reference (env:NAME or file:/path, read at each call, never stored), ' +
        'settings (jira: auth, email; github: owner, repo, pushRemote) and its rate limit (shared by every Manager).',
      roles: DIRECTOR_ONLY,
      input: configureInput,
      output: z.object({ connector: connectorSchema }),
      annotations: IDEMPOTENT_CHANGE,
      run: async (args, { actor, principal }) => ({ connector: connectorView(await integrations.configure({ ...args, workspaceId: principal.workspaceId }, actor)) }),
    }),
    defineTool({
      name: 'check_integration',
      title: 'Check an integration',
      group: 'integrations',
      description: 'Asks the external system whether the connector works (its credential, its address); the answer is recorded.',
      roles: OPERATORS,
      input: z.strictObject({ name: configureInputSchema.shape.name }),
      output: z.object({ ok: z.boolean(), kind: z.enum(connectorKinds), latencyMs: z.number(), detail: z.string() }),
      annotations: { ...READ_ONLY, idempotentHint: false, ...network },
      run: async (args, { actor, principal }) => {
        const h = await integrations.check(principal.workspaceId, args.name, actor);
        return { ok: h.ok, kind: h.kind, latencyMs: h.latencyMs, detail: h.detail };
      },
    }),
    defineTool({
      name: 'call_integration',
      title: 'Call an integration',
      group: 'integrations',
      description:
        'Calls a connector’s method. A read runs now and answers; a write (create_issue, post_message, open_pull_request) becomes an approval ' +
        'the Director decides (approve with the call’s id), then runs once. The same idempotencyKey (default: the write’s params) is one call.',
      roles: OPERATORS,
      input: callInput,
      output: z.object({ call: callSchema, heldForApproval: z.boolean(), deduplicated: z.boolean() }),
      annotations: { ...ADDITIVE, ...network },
      run: async (args, { actor, principal }) => {
        const answer = await integrations.call({ ...args, workspaceId: principal.workspaceId }, actor);
        return { call: callView(answer.call), heldForApproval: answer.heldForApproval, deduplicated: answer.deduplicated };
      },
    }),
  ];
}
