// Meters each finished gateway call: tokens from the provider's usage, cost from the employee's table, a ledger row and an event.
import type { Clock } from '../domain/clock';
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { CostLedger } from '../governance/budget/cost-ledger';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import { callCostUsd } from '../workforce/cost';
import { employeeActor } from '../workforce/workers/attempt-container';
import { type AttemptGrant, refuse, spendingOf } from './attempt-grant';
import type { Exchange } from './exchange-record';
import { budgetRefusal } from './gateway-budget';
import type { GatewayProtocol, GatewayRefusal } from './model-gateway';
import type { EndpointKind } from './wire-protocols';
import { exchangeUsage } from './wire-usage';

export interface MeteredCall {
  protocol: GatewayProtocol;
  endpoint: string;
  endpointKind: EndpointKind;
  model: string;
  stream: boolean;
  exchange: Exchange;
  requestBytes: number;
  latencyMs: number;
  replayed: boolean;
  callKey: string | null;
}

export interface GatewayMeter {
  /** Counts the call into the grant's usage now (the next call's budget check sees it) and writes it behind the answer. */
  meter(grant: AttemptGrant, call: MeteredCall): void;
  refused(grant: AttemptGrant, where: { protocol: GatewayProtocol; endpoint: string }, refusal: GatewayRefusal): void;
}

export interface GatewayMeterDeps {
  store: Store;
  events: EventLog;
  ledger: CostLedger;
  clock: Clock;
  logger: Logger;
  live(): Iterable<AttemptGrant>;
}

export function createGatewayMeter(deps: GatewayMeterDeps): GatewayMeter {
  const { store, events, ledger, logger } = deps;

  /** The write runs after the answer has gone out; revoke() waits for it, so the attempt's figures are in before it ends. */
  function behind(grant: AttemptGrant, what: string, write: () => Promise<void>): void {
    const pending = write()
      .catch((error: unknown) => logger.error({ err: toAuraError(error).message, taskId: grant.assignment.taskId, attempt: grant.assignment.attempt }, `gateway: could not record ${what}`))
      .finally(() => grant.pending.delete(pending));
    grant.pending.add(pending);
  }

  return {
    meter(grant, call) {
      const a = grant.assignment;
      const profile = a.employee.profile;
      const ok = call.exchange.status >= 200 && call.exchange.status < 300;
      const billed = call.endpointKind === 'generate' && ok;
      const usage = billed ? exchangeUsage(call.protocol, call.exchange.headers['content-type'], call.exchange.body.toString('utf8')) : null;
      // An answer with no usage in it is estimated (four bytes a token of prompt), never counted as free.
      const tokensIn = usage ? (usage.reported ? usage.tokensIn : Math.ceil(call.requestBytes / 4)) : 0;
      const tokensOut = usage?.tokensOut ?? 0;
      const costUsd = callCostUsd(profile.costTable, tokensIn, tokensOut);
      const model = usage?.model ?? call.model;
      const seq = ++grant.seq;
      const u = grant.usage;
      if (call.endpointKind === 'generate') u.calls += 1;
      u.tokensIn += tokensIn;
      u.tokensOut += tokensOut;
      u.costUsd = Math.round((u.costUsd + costUsd) * 1e9) / 1e9;
      if (billed && !u.models.includes(model)) u.models.push(model);
      if (billed) {
        const refusal = budgetRefusal(grant.budget, spendingOf(grant, deps.live(), 0), 'after');
        const callRefusal = budgetRefusal(grant.budget, { call: costUsd, task: 0, employee: 0, run: 0 }, 'after');
        if (refusal ?? callRefusal) refuse(grant, (refusal ?? callRefusal)!);
      }
      logger.debug({ taskId: a.taskId, attempt: a.attempt, protocol: call.protocol, model, tokensIn, tokensOut, costUsd, latencyMs: call.latencyMs }, 'gateway call');
      behind(grant, 'a call', () =>
        store.transaction(async (tx) => {
          if (call.endpointKind === 'generate') {
            await ledger.recordIn(tx, { key: `${a.idempotencyKey}#gateway-${seq}`, source: 'call', runId: a.runId, taskId: a.taskId, attempt: a.attempt, employeeId: a.employee.id, model, tokensIn, tokensOut, costUsd });
          }
          await events.appendIn(tx, [
            {
              type: 'GatewayCallCompleted',
              actor: employeeActor(a),
              runId: a.runId,
              taskId: a.taskId,
              payload: {
                attempt: a.attempt,
                employeeId: a.employee.id,
                protocol: call.protocol,
                endpoint: call.endpoint.slice(0, 300),
                model: model.slice(0, 200),
                stream: call.stream,
                status: call.exchange.status,
                tokensIn,
                tokensOut,
                costUsd,
                latencyMs: Math.round(call.latencyMs * 1000) / 1000,
                usageReported: usage?.reported ?? false,
                replayed: call.replayed,
                callKey: call.callKey,
              },
            },
          ]);
        }),
      );
    },
    refused(grant, where, refusal) {
      const a = grant.assignment;
      logger.warn({ taskId: a.taskId, attempt: a.attempt, protocol: where.protocol, reason: refusal.reason }, 'gateway refused a call');
      behind(grant, 'a refusal', async () => {
        await events.append({
          type: 'GatewayCallRefused',
          actor: employeeActor(a),
          runId: a.runId,
          taskId: a.taskId,
          payload: { attempt: a.attempt, employeeId: a.employee.id, ...where, endpoint: where.endpoint.slice(0, 300), reason: refusal.reason, message: refusal.message.slice(0, 2000) },
        });
      });
    },
  };
}
