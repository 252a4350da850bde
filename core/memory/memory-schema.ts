// The memory's shapes: scopes, keys, addresses and the inputs of its operations (zod; types come from them).
import { z } from 'zod';

export const memoryScopes = ['user', 'org', 'project', 'run'] as const;
export type MemoryScope = (typeof memoryScopes)[number];

export const authorKinds = ['director', 'manager', 'employee', 'run', 'system'] as const;
export type AuthorKind = (typeof authorKinds)[number];

/** Path-like keys ("architecture/database", "runs/run_…/lessons"): they name an entry and read well in a URI. */
export const memoryKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'expected letters, digits and . _ - / (not starting with one of those)')
  .refine((key) => !key.includes('//') && !key.endsWith('/'), 'expected no empty path segment');

/** Who or what an entry belongs to inside its scope: the user, the org, the project, the run id. */
export const namespaceSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:\-]*$/, 'expected letters, digits and . _ : -');

export const tagSchema = z.string().min(1).max(60).regex(/^[a-z0-9][a-z0-9._:\-]*$/, 'expected lower-case letters, digits and . _ : -');

export const addressSchema = z.strictObject({
  scope: z.enum(memoryScopes),
  /** Defaults: user → the caller, org and project → the configured ones; a run entry must name its run. */
  namespace: namespaceSchema.optional(),
  key: memoryKeySchema,
});
export type AddressInput = z.infer<typeof addressSchema>;

/** A fully resolved address. */
export interface MemoryAddress {
  scope: MemoryScope;
  namespace: string;
  key: string;
}

/** An address inside its team workspace (docs/tenancy.md): the same address may hold one entry in each workspace. */
export interface WorkspaceAddress extends MemoryAddress {
  workspaceId: string;
}

export const MAX_CONTENT = 100_000;

export const putInputSchema = addressSchema.extend({
  content: z.string().min(1).max(MAX_CONTENT),
  tags: z.array(tagSchema).max(20).optional(),
  /** The run the write is marked with (the Manager's lessons, an employee's proposal). */
  runId: z.string().min(1).max(80).optional(),
  /** Only write when the current version is this one (0: only when the entry does not exist). */
  expectedVersion: z.number().int().min(0).optional(),
});
export type PutInput = z.infer<typeof putInputSchema>;

/** As of a time, or as of an event of the log (what was known when that event was written). */
export const asOfSchema = z.union([
  z.strictObject({ at: z.iso.datetime({ offset: true }) }),
  z.strictObject({ eventId: z.number().int().positive() }),
]);
export type AsOf = z.infer<typeof asOfSchema>;

export const getInputSchema = addressSchema.extend({ asOf: asOfSchema.optional(), version: z.number().int().min(1).optional() });
export type GetInput = z.infer<typeof getInputSchema>;

export const searchModes = ['keyword', 'semantic', 'hybrid'] as const;
export type SearchMode = (typeof searchModes)[number];

export const searchInputSchema = z.strictObject({
  query: z.string().min(1).max(4000),
  scopes: z.array(z.enum(memoryScopes)).min(1).max(4).optional(),
  namespace: namespaceSchema.optional(),
  keyPrefix: z.string().min(1).max(200).regex(/^[A-Za-z0-9._\-/]+$/, 'expected the start of a key').optional(),
  tags: z.array(tagSchema).max(20).optional(),
  /** keyword: full text; semantic: embeddings; hybrid (default when an embedding employee is set): both, fused. */
  mode: z.enum(searchModes).optional(),
  /** all (default): every word must match; any: entries with more of the words rank higher. */
  match: z.enum(['all', 'any']).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});
export type SearchInput = z.infer<typeof searchInputSchema>;

export const listInputSchema = z.strictObject({
  scope: z.enum(memoryScopes).optional(),
  namespace: namespaceSchema.optional(),
  keyPrefix: z.string().min(1).max(200).regex(/^[A-Za-z0-9._\-/]+$/, 'expected the start of a key').optional(),
  tags: z.array(tagSchema).max(20).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export type ListInput = z.infer<typeof listInputSchema>;

export const diffInputSchema = addressSchema.extend({ from: z.number().int().min(1), to: z.number().int().min(1).optional() });
export type DiffInput = z.infer<typeof diffInputSchema>;

export const deleteInputSchema = addressSchema.extend({ reason: z.string().min(1).max(500).optional() });
export type DeleteInput = z.infer<typeof deleteInputSchema>;

/** memory://{scope}/{namespace}/{key} — the entry's resource URI. */
export function memoryUri(a: MemoryAddress): string {
  return `memory://${a.scope}/${a.namespace}/${a.key}`;
}

export function parseMemoryUri(uri: string): MemoryAddress | null {
  const match = /^memory:\/\/(user|org|project|run)\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) return null;
  const parsed = addressSchema.safeParse({ scope: match[1], namespace: decodeURIComponent(match[2]!), key: match[3] });
  return parsed.success ? { scope: parsed.data.scope, namespace: parsed.data.namespace!, key: parsed.data.key } : null;
}

/** The user-scope namespace of an actor: its role and name, without the token ("director:alice#tok_1" → "director:alice"). */
export function userNamespaceOf(actor: string): string {
  return (actor.split('#')[0] ?? actor).replace(/[^A-Za-z0-9._:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 120) || 'unknown';
}
