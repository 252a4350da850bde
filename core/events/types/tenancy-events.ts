// Event types of team workspaces (core/tenancy): a workspace created, its quotas changed.
import { z } from 'zod';

const quota = z.number().int().nonnegative().nullable();

export const tenancyEvents = {
  WorkspaceCreated: z.object({
    workspaceId: z.string(),
    name: z.string(),
    maxActiveRuns: quota,
    maxContainers: quota,
    monthlyBudgetUsd: z.number().nonnegative().nullable(),
  }),
  /** Only the quotas the change named; null removes that limit. */
  WorkspaceQuotasChanged: z.object({
    workspaceId: z.string(),
    maxActiveRuns: quota.optional(),
    maxContainers: quota.optional(),
    monthlyBudgetUsd: z.number().nonnegative().nullable().optional(),
  }),
} as const;
