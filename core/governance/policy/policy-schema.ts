// The shape of a policy document (YAML): named rules with a CEL condition, checkpoints and an action.
import { z } from 'zod';

/**
 * Where rules are checked: plan time, before a task is assigned, before each tool call or command, after costs, and
 * when an attempt changed files outside its task's scope (`scope`).
 */
export const checkpoints = ['plan', 'task', 'tool', 'cost', 'scope'] as const;
export type Checkpoint = (typeof checkpoints)[number];

export const policyActions = ['allow', 'deny', 'require_approval', 'notify'] as const;
export type PolicyAction = (typeof policyActions)[number];

export const policySetNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected lowercase letters, digits, ".", "_" or "-"');

export const policyRuleSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected lowercase letters, digits, ".", "_" or "-"'),
  description: z.string().max(2000).optional(),
  /** Checkpoints this rule applies at; all of them when left out. */
  on: z.array(z.enum(checkpoints)).min(1).optional(),
  /** A CEL expression over task, employee, run, tool, cost and checkpoint; the rule applies when it is true. */
  when: z.string().min(1).max(4000),
  action: z.enum(policyActions),
  /** Shown to the Director and recorded with every decision. */
  reason: z.string().min(1).max(1000).optional(),
});

export type PolicyRule = z.infer<typeof policyRuleSchema>;

export const policyDocumentSchema = z.strictObject({
  name: policySetNameSchema.optional(),
  description: z.string().max(4000).optional(),
  rules: z.array(policyRuleSchema).max(500),
});

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** Top-level keys that would switch enforcement off; a document carrying one is refused and recorded. */
export const disablingKeys = ['enabled', 'disabled', 'enforce', 'enforcement', 'audit', 'hr', 'governance'] as const;
