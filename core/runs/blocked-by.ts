// Which dead letters hold back a waiting task: its ancestors in the plan that sit in the dead-letter queue.

interface DagTask {
  key: string;
  status: string;
  dependsOn: readonly string[];
  inPlan: boolean;
}

/**
 * For every pending task of the plan, the keys of the dead-lettered tasks it waits on, directly or through other
 * waiting tasks (sorted); tasks that wait on nothing dead have none. Linear in the plan's size.
 */
export function deadLettersBlocking(tasks: readonly DagTask[]): Map<string, string[]> {
  const byKey = new Map(tasks.filter((t) => t.inPlan).map((t) => [t.key, t]));
  const memo = new Map<string, Set<string>>();
  const visit = (key: string, path: Set<string>): Set<string> => {
    const known = memo.get(key);
    if (known) return known;
    const found = new Set<string>();
    const task = byKey.get(key);
    // The plan is a DAG (validated at submit); the path guard only keeps a corrupt one from recursing forever.
    if (task && !path.has(key)) {
      path.add(key);
      for (const dep of task.dependsOn) {
        const d = byKey.get(dep);
        if (!d) continue;
        if (d.status === 'dead_letter') found.add(dep);
        else if (d.status === 'pending') for (const k of visit(dep, path)) found.add(k);
      }
      path.delete(key);
    }
    memo.set(key, found);
    return found;
  };
  const out = new Map<string, string[]>();
  for (const t of byKey.values()) {
    if (t.status !== 'pending') continue;
    const found = visit(t.key, new Set());
    if (found.size) out.set(t.key, [...found].sort());
  }
  return out;
}
