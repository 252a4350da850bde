// Plan validation: every problem of a plan at once (schema, empty, duplicate ids, unknown deps, cycles).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import { AuraError } from '../domain/errors';
import { type Plan, type PlanTask, planSchema, type TaskKind } from './plan-schema';

export interface PlanProblem {
  code: 'schema' | 'empty' | 'duplicate_id' | 'unknown_dependency' | 'self_dependency' | 'cycle' | 'commands_not_allowed';
  message: string;
  taskId?: string;
}

/** Kinds whose acceptance may include shell commands (they change or build something that can be checked). */
export const kindsWithCommands: ReadonlySet<TaskKind> = new Set(['code', 'command', 'doc']);

/** Lists every structural problem of a schema-valid plan; an empty list means the plan is a DAG that can run. */
export function findPlanProblems(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (plan.tasks.length === 0) problems.push({ code: 'empty', message: 'The plan has no tasks.' });
  const seen = new Set<string>();
  for (const task of plan.tasks) {
    if (seen.has(task.id)) problems.push({ code: 'duplicate_id', taskId: task.id, message: `Task id "${task.id}" is used more than once.` });
    seen.add(task.id);
  }
  for (const task of plan.tasks) {
    for (const dep of new Set(task.dependsOn)) {
      if (dep === task.id) problems.push({ code: 'self_dependency', taskId: task.id, message: `Task "${task.id}" depends on itself.` });
      else if (!seen.has(dep)) problems.push({ code: 'unknown_dependency', taskId: task.id, message: `Task "${task.id}" depends on "${dep}", which is not in the plan.` });
    }
    if (task.acceptance.commands.length > 0 && !kindsWithCommands.has(task.kind)) {
      problems.push({ code: 'commands_not_allowed', taskId: task.id, message: `Task "${task.id}" is a ${task.kind} task; acceptance commands are only for code, command and doc tasks.` });
    }
  }
  for (const cycle of findCycles(plan.tasks)) {
    problems.push({ code: 'cycle', taskId: cycle[0], message: `Dependency cycle: ${[...cycle, cycle[0]].join(' → ')}.` });
  }
  return problems;
}

/** Parses and validates a plan; throws `invalid_input` listing every problem. */
export function parsePlan(input: unknown): Plan {
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) {
    const problems: PlanProblem[] = parsed.error.issues.map((issue) => ({
      code: 'schema',
      message: `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`,
    }));
    throw planError(problems);
  }
  assertPlanValid(parsed.data);
  return parsed.data;
}

export function assertPlanValid(plan: Plan): void {
  const problems = findPlanProblems(plan);
  if (problems.length) throw planError(problems);
}

export function planError(problems: PlanProblem[]): AuraError {
  return new AuraError('invalid_input', `The plan is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.map((p) => p.message).join(' ')}`, {
    details: { problems },
  });
}

/** sha256 of the plan's canonical JSON: the same plan hashes the same in every process. */
export function hashPlan(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}

/** Task ids in an order where each comes after its dependencies (the plan must be valid). */
export function topologicalOrder(tasks: readonly PlanTask[]): string[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done' || !byId.has(id)) return;
    if (state.get(id) === 'visiting') return;
    state.set(id, 'visiting');
    for (const dep of byId.get(id)!.dependsOn) visit(dep);
    state.set(id, 'done');
    order.push(id);
  };
  for (const task of tasks) visit(task.id);
  return order;
}

/** Each strongly connected group of tasks that depend on each other in a ring, as one cycle path. */
function findCycles(tasks: readonly PlanTask[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const task of tasks) edges.set(task.id, [...new Set(task.dependsOn)].filter((d) => d !== task.id));
  for (const [id, deps] of edges) edges.set(id, deps.filter((d) => edges.has(d)));
  // Tarjan's algorithm, iterative so a long chain cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work.at(-1)!;
      const deps = edges.get(frame.id)!;
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        if (!index.has(dep)) {
          index.set(dep, counter);
          low.set(dep, counter++);
          stack.push(dep);
          onStack.add(dep);
          work.push({ id: dep, next: 0 });
        } else if (onStack.has(dep)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(dep)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work.at(-1)!.id, Math.min(low.get(work.at(-1)!.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.id);
        if (group.length > 1) groups.push(cyclePath(group, edges));
      }
    }
  }
  return groups;
}

/** A path around a strongly connected group, starting at its smallest id. */
function cyclePath(group: string[], edges: Map<string, string[]>): string[] {
  const members = new Set(group);
  const start = [...group].sort()[0]!;
  const path = [start];
  const visited = new Set([start]);
  const walk = (id: string): boolean => {
    for (const dep of edges.get(id)!) {
      if (!members.has(dep)) continue;
      if (dep === start && path.length > 1) return true;
      if (visited.has(dep)) continue;
      visited.add(dep);
      path.push(dep);
      if (walk(dep)) return true;
      path.pop();
    }
    return false;
  };
  walk(start);
  return path;
}
