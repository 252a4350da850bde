// What a workspace uses now: runs not finished, running tasks (containers), and this calendar month's spending.
import type { Queryable } from '../store/store';
import type { WorkspaceUsage } from './workspace';

/** Run statuses that hold one of the workspace's runs at once. */
export const OPEN_RUN_STATUSES = ['awaiting_approval', 'running', 'paused', 'blocked'] as const;

/** The first instant of `now`'s calendar month in UTC. */
export function monthStartOf(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The month's spending as the claim (migration 140) counts it: every ledger source but the 'call' detail rows. */
export async function monthSpentUsd(q: Queryable, workspaceId: string, now: Date): Promise<number> {
  const row = (
    await q.query<{ s: number }>(
      `SELECT coalesce(sum(cost_usd), 0) AS s FROM aura.cost_ledger WHERE workspace_id = $1 AND source <> 'call' AND occurred_at >= $2`,
      [workspaceId, monthStartOf(now).toISOString()],
    )
  ).rows[0];
  return Math.round(Number(row?.s ?? 0) * 1e9) / 1e9;
}

export async function activeRuns(q: Queryable, workspaceId: string): Promise<number> {
  const row = (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM aura.runs WHERE workspace_id = $1 AND status = ANY ($2::text[])', [workspaceId, OPEN_RUN_STATUSES])).rows[0];
  return Number(row?.n ?? 0);
}

export async function workspaceUsage(q: Queryable, workspaceId: string, now: Date): Promise<WorkspaceUsage> {
  const running = (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM aura.tasks t JOIN aura.runs r ON r.id = t.run_id WHERE t.status = 'running' AND r.workspace_id = $1`, [workspaceId])
  ).rows[0];
  return { activeRuns: await activeRuns(q, workspaceId), runningContainers: Number(running?.n ?? 0), monthSpentUsd: await monthSpentUsd(q, workspaceId, now), monthStart: monthStartOf(now) };
}
