// Leader duty: attempts of Managers known to be dead (their liveness lock is free) are taken over at once, and
// attempts whose lease ran out (the backstop, e.g. a Manager cut off from the database) likewise; then the dead
// Managers' containers are removed and each is recorded as gone (ManagerGone) and forgotten.
import { toAuraError } from '../../domain/errors';
import type { EventLog } from '../../events/event-log';
import type { Logger } from '../../observability/logger';
import { expireLeases } from '../../queue/expire-leases';
import { findDeadManagers, forgetManager, type ManagerRow } from '../../queue/manager-registry';
import type { Store } from '../../store/store';
import type { SchedulerOptions } from '../scheduler-options';
import type { ContainerReaper } from './container-reaper';
import type { LeaderDuty } from './leader-duty';

export interface TakeoverDeps {
  store: Store;
  events: EventLog;
  logger: Logger;
  options: Pick<SchedulerOptions, 'maxLeaseExpiries' | 'backoffMs' | 'owner'>;
  actor: string;
  reaper?: ContainerReaper;
}

async function runningByOwner(store: Store, owners: readonly string[]): Promise<Map<string, number>> {
  if (owners.length === 0) return new Map();
  const rows = await store.query<{ owner: string; n: number }>(
    `SELECT lease_owner AS owner, count(*)::int AS n FROM aura.tasks WHERE status = 'running' AND lease_owner = ANY ($1::text[]) GROUP BY 1`,
    [owners],
  );
  return new Map(rows.rows.map((r) => [r.owner, Number(r.n)]));
}

/** Removes the containers of dead Managers (any Manager may, at start); resolves the owners fully reaped. */
export async function reapDeadManagers(deps: Pick<TakeoverDeps, 'store' | 'logger' | 'reaper' | 'options'>, dead?: readonly ManagerRow[]): Promise<Map<string, number>> {
  const reaped = new Map<string, number>();
  const gone = (dead ?? (await findDeadManagers(deps.store))).filter((d) => d.owner !== deps.options.owner);
  for (const d of gone) {
    try {
      reaped.set(d.owner, deps.reaper ? await deps.reaper.reap(d.owner) : 0);
    } catch (error) {
      // The engine is away: the Manager stays registered, so its containers are looked for again next sweep.
      deps.logger.warn({ manager: d.owner, err: toAuraError(error).message }, 'could not remove a dead Manager\'s containers; retrying later');
    }
  }
  return reaped;
}

export function takeoverDuty(deps: TakeoverDeps): LeaderDuty {
  return {
    name: 'take over dead Managers and expired leases',
    async run(now) {
      const dead = (await findDeadManagers(deps.store)).filter((d) => d.owner !== deps.options.owner);
      const owners = dead.map((d) => d.owner);
      const before = await runningByOwner(deps.store, owners);
      // Containers first: a dead Manager's employee may still be working in its container, and must not be
      // working still when its attempt resumes elsewhere in the same worktree.
      const reaped = dead.length ? await reapDeadManagers(deps, dead) : new Map<string, number>();
      const expired = await expireLeases(deps.store, deps.events, { now, maxLeaseExpiries: deps.options.maxLeaseExpiries, backoffMs: deps.options.backoffMs, limit: 200, actor: deps.actor, deadOwners: owners });
      if (expired.resumed || expired.failed) deps.logger.warn({ resumed: expired.resumed, failed: expired.failed, deadManagers: owners }, 'attempts taken over');
      const left = dead.length ? await runningByOwner(deps.store, owners) : new Map<string, number>();
      for (const d of dead) {
        // Forgotten once nothing of it is left: its attempts handed on and its containers removed.
        if (!reaped.has(d.owner) || left.has(d.owner)) continue;
        await deps.store.transaction(async (tx) => {
          await forgetManager(tx, d.owner);
          await deps.events.appendIn(tx, [
            {
              type: 'ManagerGone',
              actor: deps.actor,
              payload: { owner: d.owner, host: d.host, pid: d.pid, registeredAt: d.registeredAt.toISOString(), tasksTakenOver: before.get(d.owner) ?? 0, containersRemoved: reaped.get(d.owner)! },
            },
          ]);
        });
      }
      return expired.resumed > 0;
    },
  };
}
