// A team workspace: its id, name and quotas (runs at once, containers at once, monthly budget), and the built-in 'default'.
import { z } from 'zod';

/** Every row from before workspaces, the local token of `aura serve` and tokens created without --workspace belong here. */
export const DEFAULT_WORKSPACE = 'default';

export const workspaceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a workspace id is 1-63 lower-case letters, digits, "_" or "-", starting with a letter or digit');

export const quotasSchema = z.strictObject({
  maxActiveRuns: z.number().int().min(0).max(100_000).nullable().optional().describe('runs not finished at once (null: no limit)'),
  maxContainers: z.number().int().min(0).max(100_000).nullable().optional().describe('running tasks (containers) at once (null: no limit)'),
  monthlyBudgetUsd: z.number().min(0).max(10_000_000).nullable().optional().describe('USD per calendar month, UTC (null: no limit)'),
});
export type QuotasInput = z.input<typeof quotasSchema>;

export const createWorkspaceSchema = quotasSchema.extend({
  id: workspaceIdSchema,
  name: z.string().trim().min(1).max(200).optional(),
});
export type CreateWorkspaceInput = z.input<typeof createWorkspaceSchema>;

export interface Quotas {
  maxActiveRuns: number | null;
  maxContainers: number | null;
  monthlyBudgetUsd: number | null;
}

export interface Workspace extends Quotas {
  id: string;
  name: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a workspace uses now, against its quotas. */
export interface WorkspaceUsage {
  activeRuns: number;
  runningContainers: number;
  /** Spent in the current calendar month (UTC), from the cost ledger. */
  monthSpentUsd: number;
  monthStart: Date;
}
