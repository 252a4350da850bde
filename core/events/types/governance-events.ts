// Event types of governance: verification, approvals, policies, budgets and retention.
import { z } from 'zod';

export const governanceEvents = {
  VerificationPassed: z.object({ layer: z.string(), attempt: z.number().int().positive(), details: z.unknown().optional() }),
  VerificationFailed: z.object({ layer: z.string(), attempt: z.number().int().positive(), reason: z.string(), details: z.unknown().optional() }),
  ApprovalRequested: z.object({ approvalId: z.string(), reason: z.string(), subject: z.string() }),
  ApprovalGranted: z.object({ approvalId: z.string(), by: z.string(), note: z.string().optional() }),
  ApprovalRejected: z.object({ approvalId: z.string(), by: z.string(), reason: z.string() }),
  CostLimitExceeded: z.object({ scope: z.string(), limitUsd: z.number().nonnegative(), spentUsd: z.number().nonnegative(), action: z.string() }),
  PolicyViolation: z.object({ rule: z.string(), action: z.string(), subject: z.string(), details: z.unknown().optional() }),
} as const;
