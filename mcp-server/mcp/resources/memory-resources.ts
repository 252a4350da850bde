// memory://{scope}/{namespace}/{key} (one entry) and memory://{scope}/{namespace} (its entries), of the token's
// workspace (docs/tenancy.md): changed by the memory stream.
import { AuraError } from '../../../core/domain/errors';
import { memoryScopes, namespaceSchema, parseMemoryUri } from '../../../core/memory/memory-schema';
import type { MemoryCaller, MemoryService } from '../../../core/memory/memory-service';
import type { Principal } from '../../auth/roles';
import { MEMORY_STREAM } from '../../../core/memory/memory-writes';
import { memoryEntrySchema } from '../tools/memory-tools';
import { iso } from '../tools/views';
import type { ResourceDefinition } from './resource-definition';

const reader = (principal: Principal): MemoryCaller => ({ actor: 'director:resource', kind: 'director', workspaceId: principal.workspaceId });
const changedByMemory = async () => (stream: string) => stream === MEMORY_STREAM;

export function memoryResources(memory: MemoryService | undefined): ResourceDefinition[] {
  if (!memory) return [];
  const view = (e: Awaited<ReturnType<MemoryService['get']>>) => memoryEntrySchema.parse({ ...e, writtenAt: iso(e.writtenAt), expiresAt: iso(e.expiresAt) });
  const entry: ResourceDefinition = {
    template: 'memory://{scope}/{namespace}/{+key}',
    name: 'memory-entry',
    title: 'Memory entry',
    description: 'The current version of a memory entry (memory_get reads versions and as-of).',
    match(uri) {
      const address = parseMemoryUri(uri);
      return address ? { scope: address.scope, namespace: address.namespace, key: address.key } : null;
    },
    read: async ({ scope, namespace, key }, _services, principal) => ({ entry: view(await memory.get({ scope: scope as 'project', namespace, key: key! }, reader(principal))) }),
    changedBy: changedByMemory,
    async list(_services, principal) {
      return (await memory.list({ limit: 50 }, principal.workspaceId)).map((e) => ({ uri: e.uri, name: e.key, title: `${e.scope}/${e.namespace}/${e.key}` }));
    },
  };
  const scope: ResourceDefinition = {
    template: 'memory://{scope}/{namespace}',
    name: 'memory-namespace',
    title: 'Memory of a scope',
    description: 'The live entries of one scope and namespace, e.g. memory://project/default.',
    match(uri) {
      const m = /^memory:\/\/([a-z]+)\/([^/]+)$/.exec(uri);
      if (!m || !(memoryScopes as readonly string[]).includes(m[1]!) || !namespaceSchema.safeParse(m[2]).success) return null;
      return { scope: m[1]!, namespace: m[2]! };
    },
    async read({ scope: s, namespace }, _services, principal) {
      if (!(memoryScopes as readonly string[]).includes(s!)) throw new AuraError('not_found', `No memory scope ${s}.`);
      return { entries: (await memory.list({ scope: s as 'project', namespace, limit: 1000 }, principal.workspaceId)).map(view) };
    },
    changedBy: changedByMemory,
  };
  return [entry, scope];
}
