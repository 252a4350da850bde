// `aura memory get|put|search|history|delete|list`: the memory service from the command line, as the local Director.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createEmployeeEmbedder } from '../../adapters/employee-embedder';
import { loadConfig } from '../../core/config/config';
import { AuraError } from '../../core/domain/errors';
import type { MemoryEntry } from '../../core/memory/memory-rows';
import { memoryScopes, type MemoryScope, searchModes } from '../../core/memory/memory-schema';
import { createMemoryService, type MemoryCaller } from '../../core/memory/memory-service';
import { createLogger } from '../../core/observability/logger';
import { DEFAULT_WORKSPACE } from '../../core/tenancy/workspace';
import { createEmployeeRegistry } from '../../core/workforce/employee-registry';
import { openCore } from '../app/open-core';
import { runningServe } from '../mcp/stdio/running-serve';
import { passThrough } from './command-kit';

const usage = `Usage:
  aura memory get SCOPE KEY [--namespace NS] [--version N | --as-of ISO-TIME | --as-of-event ID] [--json]
  aura memory put SCOPE KEY [--namespace NS] [--content TEXT | --file PATH] [--tag T ...]   (stdin when neither)
  aura memory search QUERY [--scope S ...] [--prefix KEY-START] [--tag T ...] [--mode keyword|semantic|hybrid] [--any] [--limit N] [--json]
  aura memory history SCOPE KEY [--namespace NS] [--diff FROM[..TO]] [--json]
  aura memory delete SCOPE KEY [--namespace NS] --yes [--reason TEXT]
  aura memory list [--scope S] [--namespace NS] [--prefix KEY-START] [--tag T ...] [--json]
SCOPE is user, org, project or run (a run entry names its run: --namespace RUN_ID).
`;

const subcommands = ['get', 'put', 'search', 'history', 'delete', 'list'] as const;
// The command works on the memory of workspace 'default' (a team's memory is reached with its token over MCP).
const DIRECTOR: MemoryCaller = { actor: 'director:cli', kind: 'director', workspaceId: DEFAULT_WORKSPACE };

function scopeOf(value: string | undefined): MemoryScope {
  if (!value || !(memoryScopes as readonly string[]).includes(value)) throw new AuraError('invalid_input', `SCOPE must be one of ${memoryScopes.join(', ')}.\n${usage}`);
  return value as MemoryScope;
}

const line = (e: MemoryEntry) => `${e.uri}  v${e.version}  ${e.author}  ${e.writtenAt.toISOString()}${e.tags.length ? `  [${e.tags.join(', ')}]` : ''}`;

export async function memoryCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!(subcommands as readonly string[]).includes(sub ?? '')) {
    process.stderr.write(usage);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      namespace: { type: 'string' },
      version: { type: 'string' },
      'as-of': { type: 'string' },
      'as-of-event': { type: 'string' },
      content: { type: 'string' },
      file: { type: 'string' },
      tag: { type: 'string', multiple: true },
      scope: { type: 'string', multiple: true },
      prefix: { type: 'string' },
      mode: { type: 'string' },
      any: { type: 'boolean' },
      limit: { type: 'string' },
      diff: { type: 'string' },
      yes: { type: 'boolean' },
      reason: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  // Arguments are checked before the database is opened: a typo costs nothing.
  const needsAddress = sub === 'get' || sub === 'put' || sub === 'history' || sub === 'delete';
  const address = needsAddress ? { scope: scopeOf(positionals[0]), namespace: values.namespace, key: positionals[1] ?? '' } : undefined;
  if (address && !address.key) throw new AuraError('invalid_input', `Name the KEY.\n${usage}`);
  if (sub === 'search' && !positionals[0]) throw new AuraError('invalid_input', `Give the QUERY.\n${usage}`);
  if (sub === 'delete' && !values.yes) throw new AuraError('invalid_input', 'Deleting memory needs --yes (its history stays readable as of earlier times).');
  if (values.mode !== undefined && !(searchModes as readonly string[]).includes(values.mode)) throw new AuraError('invalid_input', `--mode must be one of ${searchModes.join(', ')}.`);
  const number = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new AuraError('invalid_input', `--${flag} must be a whole number.`);
    return Number(value);
  };
  const diff = values.diff === undefined ? undefined : /^(\d+)(?:\.\.(\d+))?$/.exec(values.diff);
  if (values.diff !== undefined && !diff) throw new AuraError('invalid_input', '--diff takes FROM or FROM..TO (version numbers).');
  const content = sub === 'put' ? (values.content ?? (values.file ? fs.readFileSync(values.file, 'utf8') : fs.readFileSync(0, 'utf8'))) : undefined;

  const config = loadConfig();
  const serve = config.databaseUrl ? undefined : runningServe(config.home);
  if (serve) throw new AuraError('conflict', `aura serve (pid ${serve.pid}) holds the embedded database. Use its MCP tools (memory_*), or stop it first (or use PostgreSQL via DATABASE_URL).`);
  const logger = createLogger({ service: 'memory', level: 'warn', destination: 'stderr' });
  const core = await openCore({ config, logger, migrate: true });
  const employees = createEmployeeRegistry(core);
  const embedder = config.memoryEmbeddingEmployee ? createEmployeeEmbedder({ name: config.memoryEmbeddingEmployee, employees, deps: { logger } }) : undefined;
  const memory = createMemoryService(core, { embedder });
  const out = (value: unknown, text: string) => process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  try {
    switch (sub) {
      case 'get': {
        const asOf = values['as-of'] ? { at: values['as-of'] } : values['as-of-event'] ? { eventId: number('as-of-event', values['as-of-event'])! } : undefined;
        const entry = await memory.get({ ...address!, version: number('version', values.version), asOf }, DIRECTOR);
        out(entry, `${line(entry)}\n\n${entry.content}`);
        return 0;
      }
      case 'put': {
        const entry = await memory.put({ ...address!, content: content!, tags: values.tag }, DIRECTOR);
        out(entry, line(entry));
        return 0;
      }
      case 'search': {
        const result = await memory.search({ query: positionals.join(' '), scopes: values.scope?.map(scopeOf), keyPrefix: values.prefix, tags: values.tag, mode: values.mode as never, match: values.any ? 'any' : undefined, limit: number('limit', values.limit) }, DIRECTOR.workspaceId);
        const text = [...result.notes.map((n) => `note: ${n}`), ...result.hits.map((h) => `${h.score.toFixed(4)}  ${line(h)}\n    ${h.content.replace(/\s+/g, ' ').slice(0, 160)}`)].join('\n');
        out(result, text || 'No matches.');
        return 0;
      }
      case 'history': {
        const versions = await memory.history(address!, DIRECTOR);
        const patch = diff ? await memory.diff({ ...address!, from: Number(diff[1]), to: diff[2] === undefined ? undefined : Number(diff[2]) }, DIRECTOR) : null;
        const text = versions.map((v) => `v${v.version}  ${v.deleted ? 'deleted' : `${v.bytes} bytes`}  ${v.author}  ${v.writtenAt.toISOString()}${v.runId ? `  run ${v.runId}` : ''}`).join('\n');
        out({ versions, diff: patch }, patch ? `${text}\n\n${patch.patch}` : text);
        return 0;
      }
      case 'delete': {
        const deleted = await memory.delete({ ...address!, reason: values.reason }, DIRECTOR);
        out(deleted, `deleted ${deleted.uri} (version ${deleted.version} is its tombstone)`);
        return 0;
      }
      default: {
        const entries = await memory.list({ scope: values.scope?.[0] ? scopeOf(values.scope[0]) : undefined, namespace: values.namespace, keyPrefix: values.prefix, tags: values.tag }, DIRECTOR.workspaceId);
        out(entries, entries.length ? entries.map(line).join('\n') : 'No entries.');
        return 0;
      }
    }
  } finally {
    await core.store.close();
  }
}

/** `aura memory`: parses its own arguments. */
export const { register } = passThrough('memory', 'User, org, project and run memory (aura memory help)', memoryCommand);
