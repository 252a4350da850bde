// Matches repository paths against a task's scope globs: `**` any depth, `*` and `?` within one segment.

const cache = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let glob = pattern.replace(/^\.\//, '');
  // A bare folder ("src/" or "src") covers everything under it.
  if (glob.endsWith('/')) glob += '**';
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      out += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${out}$`);
}

/** Whether `path` (relative, forward slashes) is matched by `pattern`; a pattern without wildcards also covers its subtree. */
export function globMatch(pattern: string, path: string): boolean {
  const normalised = path.replace(/^\.\//, '');
  let re = cache.get(pattern);
  if (!re) {
    re = toRegExp(pattern);
    if (cache.size > 5000) cache.clear();
    cache.set(pattern, re);
  }
  if (re.test(normalised)) return true;
  const bare = pattern.replace(/^\.\//, '').replace(/\/$/, '');
  return !/[*?]/.test(bare) && normalised.startsWith(`${bare}/`);
}

/** The paths not covered by any glob of `scope` (an empty scope covers nothing). */
export function outsideScope(paths: readonly string[], scope: readonly string[]): string[] {
  return paths.filter((p) => !scope.some((glob) => globMatch(glob, p)));
}
