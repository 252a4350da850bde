// What the console reads from the memory tools, parsed with zod; and the editor URI of an entry (aura-memory:).
import { z } from 'zod';

export const memoryScopeNames = ['project', 'org', 'user', 'run'] as const;
export type MemoryScopeName = (typeof memoryScopeNames)[number];

export const memoryEntrySchema = z
  .object({
    uri: z.string(),
    scope: z.enum(memoryScopeNames),
    namespace: z.string(),
    key: z.string(),
    version: z.number().int(),
    content: z.string().catch(''),
    tags: z.array(z.string()).catch([]),
    author: z.string().catch('?'),
    authorKind: z.string().catch('?'),
    runId: z.string().nullish(),
    writtenAt: z.string().catch(''),
    expiresAt: z.string().nullish(),
  })
  .passthrough();
export type MemoryEntryRow = z.infer<typeof memoryEntrySchema>;

export const memoryVersionSchema = z
  .object({ version: z.number().int(), deleted: z.boolean().catch(false), bytes: z.number().catch(0), author: z.string().catch('?'), runId: z.string().nullish(), writtenAt: z.string().catch('') })
  .passthrough();
export type MemoryVersionRow = z.infer<typeof memoryVersionSchema>;

export interface MemoryAddressParts {
  scope: MemoryScopeName;
  namespace: string;
  key: string;
  /** A pinned version (read-only documents of the history). */
  version?: number;
}

/** aura-memory:/{scope}/{namespace}/{key}.md[?version=N] — how an entry is opened as a Markdown document. */
export function memoryDocPath(a: MemoryAddressParts): { path: string; query: string } {
  return { path: `/${a.scope}/${a.namespace}/${a.key}.md`, query: a.version ? `version=${a.version}` : '' };
}

export function parseMemoryDocPath(path: string, query = ''): MemoryAddressParts | null {
  const m = /^\/(project|org|user|run)\/([^/]+)\/(.+)\.md$/.exec(path);
  if (!m) return null;
  const version = /(?:^|&)version=(\d+)(?:&|$)/.exec(query)?.[1];
  return { scope: m[1] as MemoryScopeName, namespace: m[2]!, key: m[3]!, version: version ? Number(version) : undefined };
}
