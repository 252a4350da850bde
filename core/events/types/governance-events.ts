// Event types of governance: verification, evidence, anomalies, scores, approvals, policies, budgets, retention.
import { z } from 'zod';

const attempt = z.number().int().positive();
const usd = z.number().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const governanceEvents = {
  VerificationPassed: z.object({ layer: z.string(), attempt, details: z.unknown().optional(), evidenceHash: sha256.optional() }),
  VerificationFailed: z.object({ layer: z.string(), attempt, reason: z.string(), details: z.unknown().optional(), evidenceHash: sha256.optional() }),
  EvidenceRecorded: z.object({ evidenceHash: sha256, kind: z.string(), attempt: attempt.optional(), employeeId: z.string().optional() }),
  AnomalyDetected: z.object({
    kind: z.enum(['scope_violation', 'forbidden_command', 'cost_outlier', 'duration_outlier', 'loop', 'false_claim']),
    employeeId: z.string(),
    attempt,
    reason: z.string(),
    evidenceHash: sha256,
    action: z.string(),
  }),
  AttemptAssessed: z.object({
    employeeId: z.string(),
    kind: z.string(),
    attempt,
    outcome: z.enum(['verified', 'failed', 'error', 'infrastructure']),
    durationMs: z.number().int().nonnegative(),
    timeoutMs: z.number().int().positive(),
    costUsd: usd,
    scopeViolation: z.boolean(),
    violations: z.number().int().nonnegative(),
    reviewScore: z.number().min(0).max(10).nullable(),
    outputHash: z.string().nullable(),
    claimsMismatch: z.boolean(),
    forbidden: z.boolean(),
    evidenceHash: sha256.nullable(),
  }),
  EmployeeTierChanged: z.object({ employeeId: z.string(), from: z.string(), to: z.string(), score: z.number(), reason: z.string() }),
  DirectorRated: z.object({ employeeId: z.string(), rating: z.number().min(0).max(10), note: z.string().optional() }),
  ApprovalRequested: z.object({
    approvalId: z.string(),
    reason: z.string(),
    subject: z.string(),
    kind: z.string().optional(),
    rule: z.string().optional(),
    evidenceHash: sha256.optional(),
  }),
  ApprovalGranted: z.object({ approvalId: z.string(), by: z.string(), note: z.string().optional(), edited: z.boolean().optional() }),
  ApprovalRejected: z.object({ approvalId: z.string(), by: z.string(), reason: z.string() }),
  CostLimitExceeded: z.object({ scope: z.string(), limitUsd: usd, spentUsd: usd, action: z.string(), rule: z.string().optional(), employeeId: z.string().optional(), evidenceHash: sha256.optional() }),
  BudgetCapSet: z.object({ scope: z.string(), limitUsd: usd.nullable(), by: z.string() }),
  PolicyViolation: z.object({ rule: z.string(), action: z.string(), subject: z.string(), details: z.unknown().optional(), evidenceHash: sha256.optional() }),
  PolicyNotice: z.object({ rule: z.string(), subject: z.string(), reason: z.string() }),
  PolicySetUpdated: z.object({ name: z.string(), version: z.number().int().positive(), sourceHash: sha256, origin: z.string(), rules: z.number().int().nonnegative() }),
  PolicySetRejected: z.object({ name: z.string(), origin: z.string(), line: z.number().int().positive().nullable(), column: z.number().int().positive().nullable(), reason: z.string(), inForce: z.number().int().nonnegative() }),
  GovernanceDisableRefused: z.object({ component: z.string(), requestedBy: z.string(), reason: z.string() }),
  GovernanceRequestRefused: z.object({ request: z.string(), requestedBy: z.string(), reason: z.string() }),
  RetentionCleanupPerformed: z.object({
    cutoff: z.string(),
    retentionDays: z.number().int().positive(),
    deleted: z.record(z.string(), z.number().int().nonnegative()),
    trimmedStreams: z.array(z.object({ stream: z.string(), afterSeq: z.number().int().nonnegative() })),
  }),
  RunArchived: z.object({ archiveHash: sha256, outcome: z.string(), tasks: z.number().int().nonnegative(), evidence: z.number().int().nonnegative() }),
} as const;
