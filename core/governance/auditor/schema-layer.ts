// Verification layer 1: the employee's result must have the WorkResult shape (zod), whatever the worker claims.
import { z } from 'zod';
import { describeIssues } from '../../domain/errors';
import type { WorkResult } from '../../workforce/worker';
import type { LayerOutcome } from './verification-record';

const finite = z.number().finite().nonnegative();

export const telemetrySchema = z.object({ tokensIn: finite, tokensOut: finite, latencyMs: finite, costUsd: finite, model: z.string().max(300) });

export const workResultSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  summary: z.string().min(1, 'a result needs a summary').max(20_000),
  output: z.unknown().optional(),
  claimsChecksPassed: z.boolean().optional(),
  commit: z
    .string()
    .regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'expected a full commit id')
    .optional(),
  telemetry: telemetrySchema,
});

export function checkResultSchema(result: unknown): LayerOutcome {
  const parsed = workResultSchema.safeParse(result);
  if (parsed.success) return { layer: 'schema', passed: true };
  const problems = describeIssues(parsed.error.issues);
  return { layer: 'schema', passed: false, reason: `the result does not have the expected shape: ${problems}`, evidence: { problems, result: result as WorkResult } };
}
