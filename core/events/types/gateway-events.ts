// Event types of the model gateway: each model call a CLI agent made through it, and each call it refused.
import { z } from 'zod';

const attempt = z.number().int().positive();
const protocol = z.enum(['anthropic', 'openai', 'gemini']);

export const gatewayEvents = {
  /** A call went through (or was served from the record): what it used and cost. Never a prompt, never a key. */
  GatewayCallCompleted: z.object({
    attempt,
    employeeId: z.string(),
    protocol,
    /** The endpoint below the protocol's prefix, e.g. /v1/messages. */
    endpoint: z.string().max(300),
    model: z.string().max(200),
    stream: z.boolean(),
    /** The upstream's HTTP status (or the recorded one). */
    status: z.number().int(),
    tokensIn: z.number().int().nonnegative(),
    tokensOut: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative(),
    latencyMs: z.number().nonnegative(),
    /** False when the answer carried no usage and the counts are estimates. */
    usageReported: z.boolean(),
    replayed: z.boolean(),
    /** The call record's key (sha256 of the canonical request), when recording is on. */
    callKey: z.string().nullable(),
  }),
  /** A call was refused: over budget or cap (the attempt ends), or not in the record in replay mode. */
  GatewayCallRefused: z.object({
    attempt,
    employeeId: z.string(),
    protocol,
    endpoint: z.string().max(300),
    reason: z.enum(['budget_exceeded', 'call_cap', 'replay_miss']),
    message: z.string().max(2000),
  }),
} as const;
