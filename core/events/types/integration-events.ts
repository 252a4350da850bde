// Event types of integrations: connectors configured, calls asked, run, retried, held and settled (never a secret, never params).
import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const call = {
  callId: z.string(),
  connectorId: z.string(),
  workspaceId: z.string(),
  kind: z.string(),
  method: z.string(),
};

export const integrationEvents = {
  IntegrationConfigured: z.object({
    connectorId: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    kind: z.string(),
    /** The system's origin (no path, no query: nothing a URL could carry a token in). */
    origin: z.string(),
    /** The reference the credential is read from (env:NAME, file:/path); never its value. */
    credentialRef: z.string(),
    ratePerSecond: z.number().positive(),
    burst: z.number().int().positive(),
    created: z.boolean(),
  }),
  IntegrationHealthChecked: z.object({ connectorId: z.string(), workspaceId: z.string(), kind: z.string(), ok: z.boolean(), latencyMs: z.number().nonnegative(), detail: z.string() }),
  /** A call asked for: a read runs at once; a write waits for the Director (approvalId is the call's id). */
  IntegrationCallRequested: z.object({ ...call, write: z.boolean(), paramsHash: sha256, idempotencyKey: z.string(), heldForApproval: z.boolean() }),
  IntegrationCallRetried: z.object({ ...call, attempt: z.number().int().positive(), waitMs: z.number().nonnegative(), status: z.number().int().nullable(), error: z.string() }),
  IntegrationCallSucceeded: z.object({ ...call, attempts: z.number().int().nonnegative(), durationMs: z.number().nonnegative(), rateLimitedMs: z.number().nonnegative(), replayed: z.boolean() }),
  IntegrationCallFailed: z.object({ ...call, attempts: z.number().int().nonnegative(), status: z.number().int().nullable(), reason: z.string(), error: z.string() }),
  /** A second call with the same idempotency key: answered with the first call, nothing sent again. */
  IntegrationCallDeduplicated: z.object({ ...call, existingStatus: z.string(), idempotencyKey: z.string() }),
} as const;
