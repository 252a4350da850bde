// A model gateway over a suite's store: governance (ledger, caps, policies), the service and its real listener, a canary key.
import { randomBytes } from 'node:crypto';
import { startGatewayListener, type GatewayListener } from '../../../adapters/gateway/gateway-listener';
import { rememberRunIn } from '../../../core/governance/budget/run-budgets';
import { createGatewayService, type GatewayService } from '../../../core/gateway/gateway-service';
import type { GatewayGrant } from '../../../core/gateway/model-gateway';
import type { RecordingMode } from '../../../core/replay/call-recorder';
import type { Store } from '../../../core/store/store';
import type { Employee } from '../../../core/workforce/employee';
import type { Assignment } from '../../../core/workforce/worker';
import { createHarness, type Harness } from '../governance/harness';

/** The employee's real key: it must reach the stand-in, and nothing else (events, logs, records, errors, the agent). */
export const CANARY_ENV = 'AURA_GATEWAY_TEST_KEY';

export interface GatewayHarness {
  h: Harness;
  canary: string;
  service: GatewayService;
  listener: GatewayListener;
  /** Every log line the gateway wrote (to look for the canary). */
  logLines: string[];
  hire(name: string, baseUrl: string, overrides?: Record<string, unknown>): Promise<Employee>;
  /** An assignment of a fresh task of run `runId` (budget as given) to the employee. */
  assign(employee: Employee, runId: string, budgetUsd?: number | null): Promise<Assignment>;
  grant(employee: Employee, runId: string, budgetUsd?: number | null): Promise<{ assignment: Assignment; grant: GatewayGrant }>;
  /** Another gateway on the same store (a replay in a later process), listening on its own port. */
  reopen(recording: RecordingMode): Promise<{ service: GatewayService; listener: GatewayListener }>;
  close(): Promise<void>;
}

let tasks = 0;

export async function createGatewayHarness(store: Store, recording: RecordingMode = 'record'): Promise<GatewayHarness> {
  const h = await createHarness(store);
  const canary = `canary-${randomBytes(16).toString('hex')}`;
  const secrets = { env: { [CANARY_ENV]: canary } };
  const logLines: string[] = [];
  const logger = capturingLogger(logLines);
  const open = async (mode: RecordingMode) => {
    const service = createGatewayService({ store, events: h.ctx.events, clock: h.clock, logger, ledger: h.gov.ledger, caps: h.gov.caps, policies: h.gov.policies, recording: mode, secrets });
    const listener = await startGatewayListener({ service, host: '127.0.0.1', port: 0, logger });
    return { service, listener };
  };
  const { service, listener } = await open(recording);
  const extra: Array<{ service: GatewayService; listener: GatewayListener }> = [];
  const harness: GatewayHarness = {
    h,
    canary,
    service,
    listener,
    logLines,
    hire: (name, baseUrl, overrides = {}) =>
      h.registry.hire({ name, provider: 'cli', model: 'agent-model', command: ['agent'], baseUrl, apiKeyRef: `env:${CANARY_ENV}`, costTable: { inputPerMTok: 3, outputPerMTok: 15 }, ...overrides }, 'director:local'),
    async assign(employee, runId, budgetUsd = null) {
      const run = h.run(runId, { budgetUsd });
      await rememberRunIn(store, { ...run, costUsd: 0 }, h.clock.now());
      tasks += 1;
      return h.assignment(run, h.task({ id: `t${tasks}` }), employee, 1, `${runId}-t${tasks}`);
    },
    async grant(employee, runId, budgetUsd = null) {
      const assignment = await harness.assign(employee, runId, budgetUsd);
      return { assignment, grant: await service.grant(assignment) };
    },
    async reopen(mode) {
      const opened = await open(mode);
      extra.push(opened);
      return opened;
    },
    async close() {
      for (const { service: s, listener: l } of [...extra, { service, listener }]) {
        await s.close();
        await l.close();
      }
      h.close();
    },
  };
  return harness;
}

/** A Logger that keeps each line as JSON text (what a file or stdout would hold). */
function capturingLogger(lines: string[], bindings: Record<string, unknown> = {}): import('../../../core/observability/logger').Logger {
  const at = (level: string) => (objOrMsg: object | string, msg?: string) => {
    const fields = typeof objOrMsg === 'string' ? { msg: objOrMsg } : { ...objOrMsg, msg };
    lines.push(JSON.stringify({ level, ...bindings, ...fields }));
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => capturingLogger(lines, { ...bindings, ...more }) };
}
