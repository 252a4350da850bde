// The integrations capability as the shells see it: connectors per workspace, health checks, calls (writes held for the Director).
import { createHash } from 'node:crypto';
import type { CoreContext } from '../core-context';
import { canonicalJson } from '../domain/canonical-json';
import { AuraError, describeIssues } from '../domain/errors';
import { newId } from '../domain/ids';
import type { CallRecorder } from '../replay/call-recorder';
import type { SecretSources } from '../workforce/secret-ref';
import { resolveSecretRef } from '../workforce/secret-ref';
import { connectorCatalogs } from './catalogs';
import type { ConnectorFactory, ConnectorKind } from './connector';
import { configureConnector, connectorByName, listConnectors } from './connector-configs';
import { type CallFilter, decideCall, getCall, insertCall, listCalls, settleCall } from './integration-calls';
import { createIntegrationRunner, defaultRunnerOptions, type IntegrationRunner, type RunnerOptions } from './integration-runner';
import { type CallInput, callInputSchema, type ConfigureInput, type ConnectorConfig, INTEGRATIONS_STREAM, type IntegrationCall } from './integration-schema';
import { acquireToken } from './rate-limit';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy';
import { runIntegrationCall } from './run-integration-call';

export interface MethodInfo {
  name: string;
  write: boolean;
  description: string;
}

export interface HealthView {
  connector: string;
  workspaceId: string;
  kind: ConnectorKind;
  ok: boolean;
  latencyMs: number;
  detail: string;
}

export interface CallAnswer {
  call: IntegrationCall;
  /** A write waits for the Director: approve (or reject) the call's id, which is its approval's id. */
  heldForApproval: boolean;
  /** An earlier call had this idempotency key: it is returned, nothing was asked or sent again. */
  deduplicated: boolean;
}

export interface IntegrationsService {
  configure(input: ConfigureInput, actor: string): Promise<ConnectorConfig>;
  list(workspaceId?: string): Promise<ConnectorConfig[]>;
  methods(kind: ConnectorKind): MethodInfo[];
  check(workspaceId: string, name: string, actor: string): Promise<HealthView>;
  call(input: CallInput, actor: string): Promise<CallAnswer>;
  calls(filter?: CallFilter): Promise<IntegrationCall[]>;
  getCall(id: string): Promise<IntegrationCall>;
  /** The approvals service's side: a held write decided, with its event, in the caller's transaction. */
  decideIn: (tx: Parameters<typeof decideCall>[0], id: string, decision: { approved: boolean; by: string; note?: string }) => Promise<IntegrationCall>;
  readonly runner: IntegrationRunner;
}

export interface IntegrationsOptions {
  factory: ConnectorFactory;
  recorder?: CallRecorder;
  secrets?: SecretSources;
  retry?: Partial<RetryPolicy>;
  runner?: Partial<RunnerOptions>;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function createIntegrations(core: CoreContext, options: IntegrationsOptions): IntegrationsService {
  const { store, events, clock, logger } = core;
  const factory = options.factory;
  const runnerDeps = {
    store,
    events,
    clock,
    logger: logger.child({ component: 'integrations' }),
    factory,
    recorder: options.recorder,
    secrets: options.secrets,
    retry: { ...defaultRetryPolicy, ...options.retry },
    timeoutMs: options.timeoutMs ?? 15_000,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: options.random,
  };
  const runner = createIntegrationRunner(runnerDeps, { ...defaultRunnerOptions, ...options.runner });

  return {
    configure: (input, actor) => configureConnector({ store, events, clock }, input, actor),
    list: (workspaceId) => listConnectors(store, workspaceId),
    methods: (kind) => Object.entries(connectorCatalogs[kind]).map(([name, m]) => ({ name, write: m.write, description: m.description })),

    async check(workspaceId, name, actor) {
      const connector = await connectorByName(store, workspaceId, name);
      const started = clock.now().getTime();
      let ok = false;
      let detail: string;
      const secret = (() => {
        try {
          return resolveSecretRef(connector.credentialRef, options.secrets, 'credentialRef');
        } catch (error) {
          detail = (error as Error).message;
          return undefined;
        }
      })();
      if (secret) {
        try {
          // A health check is a request like any other: it takes its token from the shared bucket.
          await acquireToken(store, connector.id, connector, { now: () => clock.now(), sleep: runnerDeps.sleep });
          const report = await factory.open({ kind: connector.kind, baseUrl: connector.baseUrl, settings: connector.settings, credential: secret, timeoutMs: runnerDeps.timeoutMs }).health();
          ok = report.ok;
          detail = secret.scrub(report.detail);
        } catch (error) {
          detail = secret.scrub((error as Error).message);
        }
      }
      const view: HealthView = { connector: connector.name, workspaceId: connector.workspaceId, kind: connector.kind, ok, latencyMs: clock.now().getTime() - started, detail: detail!.slice(0, 500) };
      await events.append({ type: 'IntegrationHealthChecked', actor, stream: INTEGRATIONS_STREAM, payload: { connectorId: connector.id, workspaceId: view.workspaceId, kind: view.kind, ok, latencyMs: view.latencyMs, detail: view.detail } });
      return view;
    },

    async call(input, actor) {
      const parsed = callInputSchema.safeParse(input);
      if (!parsed.success) throw new AuraError('invalid_input', `Integration call is invalid: ${describeIssues(parsed.error.issues)}`);
      const c = parsed.data;
      const connector = await connectorByName(store, c.workspaceId, c.connector);
      const catalog = connectorCatalogs[connector.kind];
      const method = Object.prototype.hasOwnProperty.call(catalog, c.method) ? catalog[c.method]! : undefined;
      if (!method) throw new AuraError('invalid_input', `A ${connector.kind} connector has no method "${c.method}"; it has ${Object.keys(catalog).join(', ')}.`);
      const checked = method.params.safeParse(c.params);
      if (!checked.success) throw new AuraError('invalid_input', `${connector.kind} ${c.method} params are invalid: ${describeIssues(checked.error.issues)}`);
      const params = checked.data as Record<string, unknown>;
      const paramsHash = sha256(canonicalJson(params));
      // A read is never deduplicated unless asked; a write is one logical call per dedup key (its params by default).
      const idempotencyKey = c.idempotencyKey ?? (method.write ? `auto:${sha256(canonicalJson({ method: c.method, key: method.dedupKey ? method.dedupKey(params) : params }))}` : `read:${newId('r', clock.now())}`);
      const reason = c.reason ?? `${connector.kind} ${c.method} on ${connector.name}`;
      const base = { connectorId: connector.id, workspaceId: connector.workspaceId, kind: connector.kind, method: c.method };
      const { call, created } = await store.transaction(async (tx) => {
        const inserted = await insertCall(tx, { connectorId: connector.id, workspaceId: connector.workspaceId, method: c.method, write: method.write, params, idempotencyKey, runId: c.runId ?? null, reason, requestedBy: actor }, clock);
        const on = { actor, stream: INTEGRATIONS_STREAM, runId: c.runId ?? null } as const;
        if (!inserted.created) {
          await events.appendIn(tx, [{ ...on, type: 'IntegrationCallDeduplicated', payload: { ...base, callId: inserted.call.id, existingStatus: inserted.call.status, idempotencyKey } }]);
          return inserted;
        }
        await events.appendIn(tx, [
          { ...on, type: 'IntegrationCallRequested', payload: { ...base, callId: inserted.call.id, write: method.write, paramsHash, idempotencyKey, heldForApproval: method.write } },
          ...(method.write ? [{ ...on, type: 'ApprovalRequested' as const, payload: { approvalId: inserted.call.id, reason, subject: 'integration', kind: 'integration' } }] : []),
        ]);
        return inserted;
      });
      if (!created) return { call, heldForApproval: call.status === 'pending_approval', deduplicated: true };
      if (method.write) return { call, heldForApproval: true, deduplicated: false };
      const outcome = await runIntegrationCall(runnerDeps, connector, call);
      await settleCall(store, call.id, outcome.ok ? { ok: true, result: outcome.value } : { ok: false, error: outcome.error.message }, clock.now());
      if (!outcome.ok) throw outcome.error;
      return { call: await getCall(store, call.id), heldForApproval: false, deduplicated: false };
    },

    calls: (filter) => listCalls(store, filter),
    getCall: (id) => getCall(store, id),
    async decideIn(tx, id, decision) {
      const call = await decideCall(tx, id, decision, clock);
      await events.appendIn(tx, [
        decision.approved
          ? { type: 'ApprovalGranted', actor: decision.by, stream: INTEGRATIONS_STREAM, runId: call.runId, payload: { approvalId: id, by: decision.by, note: decision.note } }
          : { type: 'ApprovalRejected', actor: decision.by, stream: INTEGRATIONS_STREAM, runId: call.runId, payload: { approvalId: id, by: decision.by, reason: decision.note ?? 'rejected' } },
      ]);
      return call;
    },
    runner,
  };
}
