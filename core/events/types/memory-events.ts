// Event types of the memory: versioned writes and deletions, expiry, embeddings, what a context used, proposals.
import { z } from 'zod';

const scope = z.enum(['user', 'org', 'project', 'run']);
const address = { scope, namespace: z.string(), key: z.string() };
/** The team workspace the entry belongs to (docs/tenancy.md); absent on events written before migration 160 ('default'). */
const workspaceId = z.string().optional();

export const memoryEvents = {
  /** A new version (never its content: the content lives in aura.memory_versions, its hash here). */
  MemoryWritten: z.object({
    ...address,
    workspaceId,
    version: z.number().int().positive(),
    authorKind: z.enum(['director', 'manager', 'employee', 'run', 'system']),
    contentHash: z.string(),
    bytes: z.number().int().nonnegative(),
    tags: z.array(z.string()),
    expiresAt: z.string().nullable(),
  }),
  MemoryDeleted: z.object({ ...address, workspaceId, version: z.number().int().positive(), reason: z.string().nullable() }),
  /** Entries whose TTL ran out were removed with their history (at most 100 keys listed). */
  MemoryExpired: z.object({ workspaceId, count: z.number().int().positive(), entries: z.array(z.object(address)).max(100) }),
  MemoryEmbedded: z.object({ count: z.number().int().positive(), model: z.string(), tokensIn: z.number().int().nonnegative(), costUsd: z.number().nonnegative() }),
  /** The entries the Manager put into a planner's or an employee's context, within its token budget. */
  MemoryContextUsed: z.object({
    purpose: z.enum(['plan', 'task']),
    attempt: z.number().int().positive().optional(),
    budgetTokens: z.number().int().nonnegative(),
    usedTokens: z.number().int().nonnegative(),
    entries: z.array(z.object({ ...address, version: z.number().int().positive(), tokens: z.number().int().nonnegative(), score: z.number() })),
    /** Relevant entries left out because they did not fit. */
    leftOut: z.number().int().nonnegative(),
    /** Set when these are the entries of an earlier context, reused (a resumed attempt). */
    reusedFrom: z.number().int().positive().optional(),
  }),
  MemoryProposed: z.object({
    proposalId: z.string(),
    ...address,
    workspaceId,
    employeeId: z.string(),
    decision: z.enum(['applied', 'awaiting_approval']),
    policy: z.string(),
  }),
  MemoryProposalResolved: z.object({ proposalId: z.string(), workspaceId, approved: z.boolean(), version: z.number().int().positive().nullable(), note: z.string().nullable() }),
} as const;
