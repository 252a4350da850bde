// Team workspaces: create, read, list and set quotas (each change an event in the system stream), and their usage.
import type { z } from 'zod';
import type { Clock } from '../domain/clock';
import { AuraError, describeIssues } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { Queryable, Store } from '../store/store';
import { type CreateWorkspaceInput, createWorkspaceSchema, type Quotas, type QuotasInput, quotasSchema, type Workspace, type WorkspaceUsage, workspaceIdSchema } from './workspace';
import { workspaceUsage } from './workspace-usage';

interface WorkspaceRow {
  id: string;
  name: string;
  max_active_runs: number | null;
  max_containers: number | null;
  monthly_budget_usd: number | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toWorkspace = (r: WorkspaceRow): Workspace => ({
  id: r.id,
  name: r.name,
  maxActiveRuns: r.max_active_runs === null ? null : Number(r.max_active_runs),
  maxContainers: r.max_containers === null ? null : Number(r.max_containers),
  monthlyBudgetUsd: r.monthly_budget_usd === null ? null : Number(r.monthly_budget_usd),
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export interface WorkspaceService {
  create(input: CreateWorkspaceInput, actor: string): Promise<Workspace>;
  get(id: string, q?: Queryable): Promise<Workspace>;
  list(): Promise<Workspace[]>;
  /** Changes only the quotas named (null removes a limit); recorded as WorkspaceQuotasChanged. */
  setQuotas(id: string, quotas: QuotasInput, actor: string): Promise<Workspace>;
  usage(id: string): Promise<WorkspaceUsage>;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AuraError('invalid_input', `Invalid ${what}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

export function createWorkspaceService(deps: { store: Store; events: EventLog; clock: Clock }): WorkspaceService {
  const { store, events, clock } = deps;
  const get = async (id: string, q: Queryable = store) => {
    const key = parse(workspaceIdSchema, id, 'workspace id');
    const row = (await q.query<WorkspaceRow>('SELECT * FROM aura.workspaces WHERE id = $1', [key])).rows[0];
    if (!row) throw new AuraError('not_found', `No workspace with id "${key}".`);
    return toWorkspace(row);
  };
  return {
    async create(input, actor) {
      const w = parse(createWorkspaceSchema, input, 'workspace');
      const quotas: Quotas = { maxActiveRuns: w.maxActiveRuns ?? null, maxContainers: w.maxContainers ?? null, monthlyBudgetUsd: w.monthlyBudgetUsd ?? null };
      const name = w.name ?? w.id;
      return store.transaction(async (tx) => {
        const at = clock.now().toISOString();
        const row = (
          await tx.query<WorkspaceRow>(
            `INSERT INTO aura.workspaces (id, name, max_active_runs, max_containers, monthly_budget_usd, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (id) DO NOTHING RETURNING *`,
            [w.id, name, quotas.maxActiveRuns, quotas.maxContainers, quotas.monthlyBudgetUsd, actor, at],
          )
        ).rows[0];
        if (!row) throw new AuraError('conflict', `A workspace with id "${w.id}" already exists.`);
        await events.appendIn(tx, [{ type: 'WorkspaceCreated', actor, payload: { workspaceId: w.id, name, ...quotas } }]);
        return toWorkspace(row);
      });
    },
    get,
    async list() {
      return (await store.query<WorkspaceRow>('SELECT * FROM aura.workspaces ORDER BY created_at, id')).rows.map(toWorkspace);
    },
    async setQuotas(id, input, actor) {
      const quotas = parse(quotasSchema, input, 'quotas');
      const named = Object.entries(quotas).filter(([, v]) => v !== undefined);
      if (named.length === 0) throw new AuraError('invalid_input', 'Name at least one quota to set: maxActiveRuns, maxContainers or monthlyBudgetUsd.');
      return store.transaction(async (tx) => {
        const current = await get(id, tx);
        const next = { ...current, ...Object.fromEntries(named) } as Workspace;
        const row = (
          await tx.query<WorkspaceRow>('UPDATE aura.workspaces SET max_active_runs = $2, max_containers = $3, monthly_budget_usd = $4, updated_at = $5 WHERE id = $1 RETURNING *', [
            current.id,
            next.maxActiveRuns,
            next.maxContainers,
            next.monthlyBudgetUsd,
            clock.now().toISOString(),
          ])
        ).rows[0]!;
        await events.appendIn(tx, [{ type: 'WorkspaceQuotasChanged', actor, payload: { workspaceId: current.id, ...Object.fromEntries(named) } }]);
        return toWorkspace(row);
      });
    },
    async usage(id) {
      const ws = await get(id);
      return workspaceUsage(store, ws.id, clock.now());
    },
  };
}
