// Gives every file-changing task that declares no scope one: the files and module folders its text names, else the
// repository minus protected paths. Runs after planning (structural or model), before the plan is hashed and checked.
import path from 'node:path';
import { defaultScope } from '../workspace/scope';
import type { Plan, PlanTask } from './plan-schema';
import { kindsWithCommands } from './plan-validation';

/** Words after which a name is a folder of the repository: "the `auth` module", "the billing package". */
const moduleWord = /^(module|package|folder|directory|dir|component|service|library|lib|crate|app)s?$/i;
/** Extensions that make a dotted word a host name or an abbreviation, not a file ("example.com", "e.g."). */
const notFileExtensions = new Set(['com', 'org', 'net', 'io', 'dev', 'ai', 'co', 'g', 'e', 'etc', 'vs', 'eg', 'ie']);
const MAX_NAMED = 40;

export interface InferredScope {
  scope: string[];
  source: 'inferred' | 'default';
  /** What was read, for the plan's notes. */
  note: string;
}

/**
 * `repoFiles` are the repository's tracked files (relative POSIX paths; empty for a new repository). A named path is
 * kept as written when it is a plausible file (an extension, or a folder of the repository), whether or not it exists
 * yet: a task that asks for `alpha.txt` may create it.
 */
export function inferTaskScope(task: PlanTask, repoFiles: readonly string[]): InferredScope {
  const folders = foldersOf(repoFiles);
  const files = new Set(repoFiles);
  const text = [task.title, task.description, ...task.acceptance.criteria].join('\n');
  const named = new Set<string>();
  for (const candidate of [...candidatesIn(text), ...task.acceptance.commands.flatMap(commandPaths)]) {
    const clean = cleanPath(candidate);
    if (!clean) continue;
    if (folders.has(clean)) named.add(`${clean}/**`);
    else if (files.has(clean) || looksLikeFile(clean)) named.add(clean);
    if (named.size >= MAX_NAMED) break;
  }
  for (const folder of modulesNamed(text, folders)) named.add(`${folder}/**`);
  if (named.size === 0) return { scope: [...defaultScope], source: 'default', note: 'names no file or module: scope is the repository minus protected paths' };
  const scope = [...named].sort();
  return { scope, source: 'inferred', note: `scope inferred from what the task names: ${scope.join(', ')}` };
}

/** The plan with every file-changing task's scope filled in (declared scopes are kept), and a note per inference. */
export function inferPlanScopes(plan: Plan, repoFiles: readonly string[]): { plan: Plan; notes: string[] } {
  const notes: string[] = [];
  const tasks = plan.tasks.map((task): PlanTask => {
    if (task.scope.length > 0) return task.scopeSource ? task : { ...task, scopeSource: 'declared' };
    if (!kindsWithCommands.has(task.kind)) return task;
    const inferred = inferTaskScope(task, repoFiles);
    notes.push(`${task.id}: ${inferred.note}`);
    return { ...task, scope: inferred.scope, scopeSource: inferred.source };
  });
  return { plan: { ...plan, tasks }, notes };
}

/** Backticked spans and bare words that could be paths. */
function candidatesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`([^`\n]{1,300})`/g)) {
    const span = m[1]!.trim();
    if (/\s/.test(span)) out.push(...commandPaths(span));
    else out.push(span);
  }
  const bare = text.replace(/`[^`\n]*`/g, ' ');
  for (const m of bare.matchAll(/(?:^|[\s("'[])((?:\.{0,2}\/)?(?:[\w@.-]+\/)*[\w@-][\w@.-]*(?:\.[A-Za-z0-9]{1,10}|\/))(?=$|[\s)"',;:!?\]]|\.(?:\s|$))/gm)) {
    // "Node.js", "Vue.js": names of technologies, not files (a backticked `app.js` is still a file).
    if (!/^[A-Z][A-Za-z]*\.js$/.test(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/** Arguments of a command line that could be paths (options, variables and URLs left out). */
function commandPaths(command: string): string[] {
  return command
    .split(/[\s;|&<>()]+/)
    .map((w) => w.replace(/^['"]|['"]$/g, ''))
    .filter((w) => w && !w.startsWith('-') && !w.startsWith('$') && !/^[a-z]+:\/\//i.test(w) && (w.includes('/') || /\.[A-Za-z0-9]{1,10}$/.test(w)));
}

/** A relative path inside the repository, or null (absolute, leaving it, a URL, .git/.aura, a glob). */
function cleanPath(raw: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('/') || /[*?{}$<>|\\]/.test(raw)) return null;
  const clean = path.posix.normalize(raw.replace(/^\.\//, '')).replace(/\/+$/, '');
  if (!clean || clean === '.' || clean.startsWith('..') || clean.length > 300) return null;
  const first = clean.split('/')[0]!;
  if (first === '.git' || first === '.aura' || first === 'node_modules') return null;
  return clean;
}

function looksLikeFile(p: string): boolean {
  const base = p.split('/').pop()!;
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(base)?.[1];
  if (!ext || /^\d+$/.test(ext) || notFileExtensions.has(ext.toLowerCase())) return /^(Makefile|Dockerfile|LICENSE|README)$/.test(base);
  // "v1.2", "3.5": versions, not files.
  return !/^v?\d+(\.\d+)+$/.test(base);
}

/** Folders named as modules: "`auth`"/"auth" followed by "module", "package", ... and matching a folder's name. */
function modulesNamed(text: string, folders: ReadonlySet<string>): string[] {
  if (folders.size === 0) return [];
  const byName = new Map<string, string[]>();
  for (const f of folders) {
    const name = f.split('/').pop()!.toLowerCase();
    byName.set(name, [...(byName.get(name) ?? []), f]);
  }
  const words = text.replace(/[`*_]/g, '').split(/[^\w.-]+/).filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) {
    if (!moduleWord.test(words[i + 1]!)) continue;
    const matches = byName.get(words[i]!.toLowerCase());
    // A name shared by several folders is ambiguous; the default scope is safer than a guess.
    if (matches?.length === 1) out.add(matches[0]!);
  }
  return [...out];
}

function foldersOf(files: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return folders;
}
