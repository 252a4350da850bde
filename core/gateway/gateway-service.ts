// The model gateway's core: grants for attempts, and the rules of every call the listener (adapters/gateway) passes in.
import type { Clock } from '../domain/clock';
import { AuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { BudgetCaps } from '../governance/budget/budget-caps';
import type { CostLedger } from '../governance/budget/cost-ledger';
import type { PolicyStore } from '../governance/policy/policy-store';
import type { Logger } from '../observability/logger';
import { createCallRecorder, type RecordingMode } from '../replay/call-recorder';
import type { Store } from '../store/store';
import type { SecretSources } from '../workforce/secret-ref';
import { type AttemptGrant, newUsage } from './attempt-grant';
import { loadBudgetSnapshot } from './gateway-budget';
import { type GatewayCall, type GatewayTransport, handleGatewayCall } from './gateway-call';
import { createGrantRegistry } from './gateway-grants';
import { createGatewayMeter } from './gateway-meter';
import { type GatewayGrant, gatewayProtocols, type ModelGateway } from './model-gateway';
import { protocolPrefixes } from './wire-protocols';

export interface GatewayServiceDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  logger: Logger;
  ledger: CostLedger;
  caps: BudgetCaps;
  policies: PolicyStore;
  /** AURA_RECORDING: each attempt's calls are recorded, served from the record, or passed through. */
  recording: RecordingMode;
  /** Where apiKeyRef is resolved (default: the server's environment and files), at each call. */
  secrets?: SecretSources;
}

export interface GatewayService extends ModelGateway {
  /** Tells the gateway the origin containers reach its listener at (http://127.0.0.1:8010); grants need it. */
  listening(origin: string): void;
  /** Handles one call the listener received (never throws: every outcome is an answer on the transport). */
  handle(call: GatewayCall, transport: GatewayTransport): Promise<void>;
  /** Live grants (for /metrics and tests). */
  liveGrants(): number;
  /** Revokes every grant and waits for their writes (shutdown). */
  close(): Promise<void>;
}

export function createGatewayService(deps: GatewayServiceDeps): GatewayService {
  const grants = createGrantRegistry<AttemptGrant>();
  const logger = deps.logger.child({ component: 'gateway' });
  const meter = createGatewayMeter({ ...deps, logger, live: () => grants.live() });
  const ctx = { find: (token: string) => grants.find(token), live: () => grants.live(), meter, secrets: deps.secrets };
  let origin: string | null = null;

  async function revoke(grant: AttemptGrant): Promise<void> {
    if (!grant.revoked) {
      grant.revoked = true;
      // Calls still in flight finish (their usage counts); new ones with this token are unauthorised from now on.
    }
    while (grant.pending.size > 0) await Promise.allSettled([...grant.pending]);
    grants.remove(grant.hash);
  }

  return {
    listening(at) {
      origin = at.replace(/\/+$/, '');
    },
    async grant(assignment) {
      if (!origin) throw new AuraError('unavailable', 'The model gateway is not listening (it starts with aura serve, on AURA_GATEWAY_PORT).');
      const budget = await loadBudgetSnapshot(deps.store, deps, assignment);
      const state: AttemptGrant = {
        assignment,
        hash: '',
        budget,
        recorder: createCallRecorder({ store: deps.store, mode: deps.recording, clock: deps.clock, logger }),
        usage: newUsage(),
        refusal: null,
        listeners: new Set(),
        seq: 0,
        pending: new Set(),
        revoked: false,
      };
      const { token, hash } = grants.issue(state);
      (state as { hash: string }).hash = hash;
      const base = origin;
      const baseUrls = Object.fromEntries(gatewayProtocols.map((p) => [p, `${base}${protocolPrefixes[p]}${p === 'openai' ? '/v1' : ''}`])) as GatewayGrant['baseUrls'];
      logger.info({ runId: assignment.runId, taskId: assignment.taskId, attempt: assignment.attempt, employeeId: assignment.employee.id }, 'gateway grant opened');
      const grant: GatewayGrant = {
        token,
        baseUrls,
        usage: () => ({ ...state.usage, models: [...state.usage.models] }),
        refusal: () => state.refusal,
        onRefusal(listener) {
          // A listener added after the refusal hears of it at once (the worker may subscribe late).
          if (state.refusal) listener(state.refusal);
          else state.listeners.add(listener);
          return () => state.listeners.delete(listener);
        },
        revoke: () => revoke(state),
        toJSON: () => ({ baseUrls, token: '[redacted]' }),
      } as GatewayGrant & { toJSON(): unknown };
      return grant;
    },
    handle: (call, transport) =>
      handleGatewayCall(ctx, call, transport).catch((error: unknown) => {
        // A bug here must not leave the agent hanging: it gets an error answer, and the log says what broke.
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'gateway call failed');
        transport.send({ status: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ error: { message: 'Aura gateway: internal error' } })) });
      }),
    liveGrants: () => [...grants.live()].length,
    async close() {
      await Promise.all([...grants.live()].map((g) => revoke(g)));
    },
  };
}
