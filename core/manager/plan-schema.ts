// The plan: a DAG of atomic tasks. This schema is what planners (structural or model) must produce.
import { z } from 'zod';

export const taskKinds = ['code', 'doc', 'analysis', 'command', 'review', 'approval'] as const;
export type TaskKind = (typeof taskKinds)[number];

export const scopeSources = ['declared', 'inferred', 'default'] as const;
export type ScopeSource = (typeof scopeSources)[number];

/** A task id inside a plan: short, readable, stable across replans ("t1", "api-login"). */
export const taskKeySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected lowercase letters, digits, ".", "_" or "-"');

export const acceptanceSchema = z.object({
  /** What must be true, in words. */
  criteria: z.array(z.string().min(1).max(2000)).max(50).default([]),
  /** Shell commands run in the task's workspace that must exit 0 (kinds code, command, doc). */
  commands: z.array(z.string().min(1).max(2000)).max(20).default([]),
});

export const planTaskSchema = z.object({
  id: taskKeySchema,
  title: z.string().min(1).max(300),
  kind: z.enum(taskKinds),
  description: z.string().max(20_000).default(''),
  acceptance: acceptanceSchema.default({ criteria: [], commands: [] }),
  /** Paths (globs; "!glob" excludes) the task may change; empty means it changes no files. */
  scope: z.array(z.string().min(1).max(500)).max(100).default([]),
  /**
   * Where the scope came from: the PRD declared it, the planner inferred it from the files the task names, or it is
   * the default (the repository minus protected paths). Policies judge a change outside it by this (docs/governance.md).
   */
  scopeSource: z.enum(scopeSources).optional(),
  skills: z.array(z.string().min(1).max(64)).max(20).default([]),
  dependsOn: z.array(taskKeySchema).max(100).default([]),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  timeoutMs: z.number().int().min(1_000).max(24 * 3_600_000).default(15 * 60_000),
});

export type PlanTask = z.infer<typeof planTaskSchema>;

/** The most tasks one plan holds (a PRD that big is split into several runs). */
export const MAX_PLAN_TASKS = 100_000;

export const planSchema = z.object({
  title: z.string().min(1).max(300),
  tasks: z.array(planTaskSchema).max(MAX_PLAN_TASKS),
});

export type Plan = z.infer<typeof planSchema>;
