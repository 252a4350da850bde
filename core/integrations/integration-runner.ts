// Runs approved writes, in any Manager: a durable queue in aura.integration_calls (an event's NOTIFY wakes it, a poll backs it up).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { toAuraError } from '../domain/errors';
import { connectorById } from './connector-configs';
import { claimDueCalls, settleCall } from './integration-calls';
import { type CallRunnerDeps, runIntegrationCall } from './run-integration-call';
import { createWokenDrain } from '../events/woken-drain';

export interface RunnerOptions {
  pollMs: number;
  /** How long a claimed write is this Manager's; past it another Manager runs it again (same idempotency key). */
  leaseMs: number;
  batch: number;
}

export const defaultRunnerOptions: RunnerOptions = { pollMs: 1_000, leaseMs: 120_000, batch: 8 };

export interface IntegrationRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs every approved write due now; returns how many it ran. */
  drain(): Promise<number>;
}

export function createIntegrationRunner(deps: CallRunnerDeps, options: RunnerOptions): IntegrationRunner {
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const { store, logger } = deps;

  async function runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const claimed = await claimDueCalls(store, { owner, now: deps.clock.now(), leaseMs: options.leaseMs, limit: options.batch });
      // Invariant: a claimed write gets its outcome recorded, or its lease runs out and it is claimed again.
      const settled = await Promise.allSettled(
        claimed.map(async (call) => {
          const connector = await connectorById(store, call.connectorId);
          const outcome = await runIntegrationCall(deps, connector, call);
          const applied = await settleCall(store, call.id, outcome.ok ? { ok: true, result: outcome.value } : { ok: false, error: outcome.error.message }, deps.clock.now(), owner);
          if (!applied) logger.warn({ callId: call.id }, 'integration call outcome dropped: its lease had passed to another Manager');
        }),
      );
      for (const result of settled) {
        if (result.status === 'rejected') logger.error({ err: toAuraError(result.reason).message }, 'an integration call outcome could not be recorded; it runs again when its lease runs out');
      }
      ran += claimed.length;
      if (claimed.length < options.batch) return ran;
    }
  }

  const { drain, start, stop } = createWokenDrain({ store, logger, pollMs: options.pollMs, pass: runDue, failure: 'integration runner pass failed; the next poll tries again' });
  return { drain, start, stop };
}
