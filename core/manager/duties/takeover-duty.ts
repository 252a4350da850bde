// Leader duty: attempts of Managers known to be dead (their liveness lock is free) are taken over at once, and
// attempts whose lease ran out (the backstop, e.g. a Manager cut off from the database) likewise; then the dead
// Managers' containers are removed and each is recorded as gone (ManagerGone) and forgotten.
import { toAuraError } from '../../domain/errors';
import type { EventLog } from '../../events/event-log';
import type { Logger } from '../../observability/logger';
import { expireLeases } from '../../queue/expire-leases';
import { claimReap, findDeadManagers, finishReap, forgetManager, type ManagerRow, releaseReap } from '../../queue/manager-registry';
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

/**
 * Removes the containers of dead Managers that ran on this Manager's engine (any Manager may: at start, on each
 * heartbeat, and as the leader); resolves the owners whose containers are gone and how many were removed. A dead
 * Manager of another engine counts as reaped once a Manager of that engine has recorded it so.
 */
export async function reapDeadManagers(deps: Pick<TakeoverDeps, 'store' | 'logger' | 'reaper' | 'options'>, dead?: readonly ManagerRow[], now = new Date()): Promise<Map<string, number>> {
  const reaped = new Map<string, number>();
  const gone = (dead ?? (await findDeadManagers(deps.store))).filter((d) => d.owner !== deps.options.owner);
  if (gone.length === 0) return reaped;
  const mine = deps.reaper ? await deps.reaper.engine() : null;
  for (const d of gone) {
    if (d.containersRemoved !== null) {
      reaped.set(d.owner, d.containersRemoved);
      continue;
    }
    // Another engine's containers are out of reach here: a Manager of that engine (or the dead one restarted) removes them.
    if (d.engine && d.engine !== mine) continue;
    if (!deps.reaper) {
      reaped.set(d.owner, 0);
      continue;
    }
    if (!(await claimReap(deps.store, d.owner, now))) continue;
    try {
      const removed = await deps.reaper.reap(d.owner);
      await finishReap(deps.store, d.owner, removed);
      reaped.set(d.owner, removed);
    } catch (error) {
      await releaseReap(deps.store, d.owner).catch(() => undefined);
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
      const reaped = dead.length ? await reapDeadManagers(deps, dead, now) : new Map<string, number>();
      // A dead Manager of another engine may have an employee still at work there: its attempts are taken over once a
      // Manager of that engine removed its containers, or when their leases run out (the backstop).
      const mine = dead.some((d) => d.engine) && deps.reaper ? await deps.reaper.engine() : null;
      const handed = dead.filter((d) => reaped.has(d.owner) || !d.engine || d.engine === mine).map((d) => d.owner);
      const expired = await expireLeases(deps.store, deps.events, { now, maxLeaseExpiries: deps.options.maxLeaseExpiries, backoffMs: deps.options.backoffMs, limit: 200, actor: deps.actor, deadOwners: handed });
      if (expired.resumed || expired.failed) deps.logger.warn({ resumed: expired.resumed, failed: expired.failed, deadManagers: handed }, 'attempts taken over');
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
