// The zod schema of what an employee returns; anything else is garbage and a failed attempt. Also makes a
// result storable (no NUL characters, bounded output).
import { z } from 'zod';
import { describeIssues } from '../domain/errors';
import type { WorkResult } from '../workforce/worker';

export const telemetrySchema = z.object({
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
  costUsd: z.number().nonnegative().finite(),
  model: z.string().max(200),
});

export const workResultSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  summary: z.string().max(20_000),
  output: z.unknown().optional(),
  claimsChecksPassed: z.boolean().optional(),
  commit: z.string().max(200).optional(),
  telemetry: telemetrySchema,
});

/** Output larger than this (as JSON) is replaced by a note: results travel in events and rows. */
export const MAX_OUTPUT_CHARS = 256 * 1024;

export type CheckedResult = { ok: true; result: WorkResult } | { ok: false; reason: string; costUsd: number };

export function checkWorkResult(value: unknown): CheckedResult {
  const parsed = workResultSchema.safeParse(value);
  if (!parsed.success) {
    const cost = (value as { telemetry?: { costUsd?: unknown } } | null)?.telemetry?.costUsd;
    return { ok: false, reason: `the employee returned an invalid result: ${describeIssues(parsed.error.issues)}`.slice(0, 2000), costUsd: typeof cost === 'number' && Number.isFinite(cost) && cost > 0 ? cost : 0 };
  }
  const result = stripNul(parsed.data) as WorkResult;
  let json: string | undefined;
  try {
    json = result.output === undefined ? undefined : JSON.stringify(result.output);
  } catch {
    return { ok: false, reason: 'the employee returned an output that is not JSON (a cycle or a BigInt)', costUsd: result.telemetry.costUsd };
  }
  if (json !== undefined && json.length > MAX_OUTPUT_CHARS) result.output = { truncated: true, chars: json.length };
  return { ok: true, result };
}

/** PostgreSQL text and jsonb cannot hold U+0000: replaced by U+FFFD wherever it appears. */
function stripNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replace(/\u0000/g, '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(stripNul);
  if (value instanceof Date) return value;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[stripNul(k) as string] = stripNul(v);
    return out;
  }
  return value;
}
