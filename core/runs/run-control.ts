// The Director's run controls: pause (no new work starts), resume, cancel (everything left stops).
import { AuraError } from '../domain/errors';
import { QUEUE_CHANNEL } from '../queue/queue-channel';
import { settledEvents, settleRuns } from '../queue/settle-runs';
import { actorSchema, parseInput, reasonSchema } from './inputs';
import { getRun, type RunDetail } from './run-queries';
import type { RunServiceDeps } from './run-service-deps';
import { cancelRemainingTasks, lockOpenRun } from './run-transitions';

export async function pauseRun(deps: RunServiceDeps, runId: string, reason: string, actor: string): Promise<RunDetail> {
  const why = parseInput(reasonSchema, reason, 'reason');
  const who = parseInput(actorSchema, actor, 'actor');
  await deps.store.transaction(async (tx) => {
    const status = await lockOpenRun(tx, runId, 'be paused');
    if (status === 'paused') return;
    if (status === 'awaiting_approval') throw new AuraError('conflict', `Run ${runId} awaits the Director's approval of its plan; approve or reject it instead.`);
    const now = deps.clock.now();
    await tx.query(`UPDATE aura.runs SET status = 'paused', status_reason = $2, updated_at = $3 WHERE id = $1`, [runId, why, now.toISOString()]);
    await deps.events.appendIn(tx, [{ type: 'RunPaused', runId, actor: who, payload: { reason: why } }]);
  });
  return getRun(deps.store, runId);
}

export async function resumeRun(deps: RunServiceDeps, runId: string, reason: string | undefined, actor: string): Promise<RunDetail> {
  const why = reason === undefined ? undefined : parseInput(reasonSchema, reason, 'reason');
  const who = parseInput(actorSchema, actor, 'actor');
  await deps.store.transaction(async (tx) => {
    const status = await lockOpenRun(tx, runId, 'be resumed');
    if (status === 'running') return;
    if (status !== 'paused') throw new AuraError('conflict', `Run ${runId} is ${status}, not paused.`);
    const now = deps.clock.now();
    await tx.query(`UPDATE aura.runs SET status = 'running', status_reason = NULL, updated_at = $2 WHERE id = $1`, [runId, now.toISOString()]);
    await deps.events.appendIn(tx, [{ type: 'RunResumed', runId, actor: who, payload: { reason: why } }]);
    // Tasks may have finished while it was paused: it may be complete, or stuck on dead letters.
    await deps.events.appendIn(tx, settledEvents(await settleRuns(tx, [runId], now), who));
    await tx.query('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, runId]);
  });
  return getRun(deps.store, runId);
}

export async function cancelRun(deps: RunServiceDeps, runId: string, reason: string, actor: string): Promise<RunDetail> {
  const why = parseInput(reasonSchema, reason, 'reason');
  const who = parseInput(actorSchema, actor, 'actor');
  await deps.store.transaction(async (tx) => {
    await lockOpenRun(tx, runId, 'be cancelled');
    const now = deps.clock.now();
    const taskEvents = await cancelRemainingTasks(tx, { runId, reason: `run cancelled: ${why}`, actor: who, now });
    await tx.query(`UPDATE aura.runs SET status = 'cancelled', status_reason = $2, finished_at = $3, updated_at = $3 WHERE id = $1`, [runId, why, now.toISOString()]);
    await deps.events.appendIn(tx, [...taskEvents, { type: 'RunCancelled', runId, actor: who, payload: { reason: why } }]);
  });
  return getRun(deps.store, runId);
}
