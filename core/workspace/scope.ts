// A task's scope: which relative paths it may change (globs with *, ** and ?), and what a safe path is.
import path from 'node:path';
import { AuraError } from '../domain/errors';

/** Folders no task may write, whatever its scope says: git's own data and the product's hand-off folder. */
const reservedSegments = new Set(['.git']);
export const HANDOFF_DIR = '.aura';

/**
 * Normalises a path an employee names to a clean relative POSIX path inside the workspace,
 * or throws `invalid_input` saying why (absolute, leaves the workspace, names .git or .aura).
 */
export function normaliseWorkspacePath(raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 1000) throw new AuraError('invalid_input', `Path ${JSON.stringify(raw)} is empty or too long.`);
  if (raw.includes('\0')) throw new AuraError('invalid_input', `Path ${JSON.stringify(raw)} contains a NUL byte.`);
  // The container sees the worktree at /workspace, so a path under it is the same as a relative one.
  const unified = raw.replace(/\\/g, '/').replace(/^\/workspace\//, '');
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified)) throw new AuraError('invalid_input', `Path "${raw}" is absolute; name it relative to the workspace.`);
  const clean = path.posix.normalize(unified).replace(/\/+$/, '');
  if (clean === '.' || clean === '' || clean === '..' || clean.startsWith('../')) throw new AuraError('invalid_input', `Path "${raw}" leaves the workspace.`);
  const segments = clean.split('/');
  if (segments.some((s) => reservedSegments.has(s.toLowerCase()))) throw new AuraError('invalid_input', `Path "${raw}" is inside .git, which no task may change.`);
  if (segments[0] === HANDOFF_DIR) throw new AuraError('invalid_input', `Path "${raw}" is inside ${HANDOFF_DIR}/, the product's hand-off folder (never committed).`);
  return clean;
}

/** Compiles one scope glob to a regular expression over normalised relative paths. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
  const hasWildcard = /[*?]/.test(pattern);
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // "**/" matches zero or more whole folders; a trailing "**" matches everything below.
        if (pattern[i + 2] === '/') {
          out += '(?:[^/]+/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const trimmed = out.replace(/\/+$/, '');
  // A plain path ("src", "src/", "README.md") names that file or everything under that folder.
  return hasWildcard ? new RegExp(`^${out}$`) : new RegExp(`^${trimmed}(?:/.*)?$`);
}

export interface ScopeMatcher {
  /** Whether a normalised relative path is inside the scope. */
  allows(relativePath: string): boolean;
  /** The paths outside the scope, in the order given. */
  outside(relativePaths: readonly string[]): string[];
}

/**
 * An empty scope allows no change at all (the plan says: the task changes no files). A glob starting with "!"
 * excludes what it matches from the globs before it ("**", "!.github/**": everything but the CI folder).
 */
export function scopeMatcher(scope: readonly string[]): ScopeMatcher {
  const rules = scope.map((glob) => (glob.startsWith('!') ? { exclude: true, re: globToRegExp(glob.slice(1)) } : { exclude: false, re: globToRegExp(glob) }));
  const allows = (p: string) => {
    let inside = false;
    for (const rule of rules) if (rule.re.test(p)) inside = !rule.exclude;
    return inside;
  };
  return { allows, outside: (paths) => paths.filter((p) => !allows(p)) };
}

/**
 * Paths no task changes unless its scope names them: CI configuration and secret files. The default scope excludes
 * them, and the shipped policy fails an attempt that changes one outside its scope (docs/governance.md).
 */
export const protectedPaths: readonly string[] = [
  '.github/**',
  '.gitlab-ci.yml',
  '.gitlab/**',
  '.circleci/**',
  '.buildkite/**',
  '.ci/**',
  'Jenkinsfile',
  'azure-pipelines.yml',
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/id_rsa*',
  '**/id_ed25519*',
  '**/id_ecdsa*',
  '**/.npmrc',
  '**/.pypirc',
  '**/.netrc',
  '**/secrets/**',
];

/** The scope of a task that declares none and names nothing: the whole repository minus the protected paths. */
export const defaultScope: readonly string[] = ['**', ...protectedPaths.map((p) => `!${p}`)];

const protectedMatcher = scopeMatcher(protectedPaths);

/** Which of these paths are protected. */
export function protectedAmong(relativePaths: readonly string[]): string[] {
  return relativePaths.filter((p) => protectedMatcher.allows(p));
}
