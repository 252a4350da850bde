// What the console reads from the server's tools and resources, parsed with zod into the shapes views draw.
import { z } from 'zod';

const id = z.union([z.string(), z.number()]).transform(String);
const num = z.coerce.number().catch(0);
const optionalText = z.string().nullish().transform((v) => v ?? undefined);

export const runSchema = z
  .object({
    id,
    title: z.string().catch('(untitled run)'),
    status: z.string().catch('unknown'),
    statusReason: z.string().nullish(),
    costUsd: num.optional(),
    budgetUsd: z.number().nullish(),
    /** The run this one replays: it is shown with a "Replaying" badge. */
    replayOf: optionalText,
    createdAt: optionalText,
    updatedAt: optionalText,
    progress: z
      .object({ total: num, succeeded: num.optional(), done: num.optional(), running: num.optional(), failed: num.optional() })
      .passthrough()
      .nullish(),
  })
  .passthrough();
export type Run = z.infer<typeof runSchema>;

export const taskSchema = z
  .object({
    id,
    runId: id.optional(),
    key: optionalText,
    title: z.string().catch('(untitled task)'),
    kind: optionalText,
    status: z.string().catch('unknown'),
    dependsOn: z.array(z.string()).catch([]).default([]),
    /** For a waiting task: the dead-lettered tasks (plan keys) that hold it back. */
    blockedBy: z.array(z.string()).catch([]).default([]),
    employeeId: z.string().nullish(),
    attempt: num.optional(),
    costUsd: num.optional(),
    lastError: z.string().nullish(),
  })
  .passthrough();
export type Task = z.infer<typeof taskSchema>;

/** What an approval's preview names: the task waiting, or the command held. */
function previewTitle(preview: unknown): string | undefined {
  if (!preview || typeof preview !== 'object') return undefined;
  const p = preview as { task?: { title?: unknown }; command?: unknown };
  if (typeof p.task?.title === 'string') return p.task.title;
  if (typeof p.command === 'string') return `Run: ${p.command.slice(0, 120)}`;
  return undefined;
}

export const approvalSchema = z
  .object({
    id,
    runId: id.nullish(),
    taskId: id.nullish(),
    /** What is asked about: a task, a plan or a replan. */
    subject: optionalText,
    kind: optionalText,
    title: optionalText,
    /** Why the approval is needed (the policy's words). */
    reason: optionalText,
    summary: optionalText,
    rule: optionalText,
    status: optionalText,
    preview: z.unknown().optional(),
    proposal: z.unknown().optional(),
    taskTitle: optionalText,
    createdAt: optionalText,
    requestedAt: optionalText,
  })
  .passthrough()
  .transform((a) => ({
    ...a,
    kind: a.kind ?? a.subject,
    title: a.title ?? a.taskTitle ?? previewTitle(a.preview) ?? a.reason,
    summary: a.summary ?? (a.title || a.taskTitle || previewTitle(a.preview) ? a.reason : undefined),
    preview: a.preview ?? a.proposal,
    createdAt: a.createdAt ?? a.requestedAt,
  }));
export type Approval = z.infer<typeof approvalSchema>;

export const employeeSchema = z
  .object({
    id,
    name: z.string().catch('(unnamed)'),
    provider: optionalText,
    model: optionalText,
    agent: optionalText,
    status: z.string().catch('unknown'),
    tier: optionalText,
    score: z.number().nullish(),
  })
  .passthrough();
export type EmployeeRow = z.infer<typeof employeeSchema>;

/** A dead-lettered task (list_dead_letters answers task summaries): why, and after how many attempts. */
export const deadLetterSchema = z
  .object({
    taskId: id.optional(),
    id: id.optional(),
    runId: id.nullish(),
    title: optionalText,
    reason: optionalText,
    lastError: optionalText,
    attempts: num.optional(),
    attempt: num.optional(),
  })
  .passthrough()
  .transform((d) => ({ ...d, taskId: d.taskId ?? d.id, reason: d.reason ?? d.lastError, attempts: d.attempts ?? d.attempt }));
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const eventSchema = z
  .object({
    id: id.optional(),
    seq: num.optional(),
    stream: optionalText,
    type: z.string(),
    runId: z.string().nullish(),
    taskId: z.string().nullish(),
    actor: optionalText,
    occurredAt: optionalText,
    payload: z.unknown().optional(),
  })
  .passthrough();
export type AuraEvent = z.infer<typeof eventSchema>;

export const scoreSchema = z
  .object({
    employeeId: id,
    name: optionalText,
    /** 0-100. */
    score: num,
    attempts: num.optional(),
    tier: optionalText,
    history: z.array(z.object({ at: z.string(), score: num }).passthrough()).catch([]).default([]),
  })
  .passthrough();
export type Score = z.infer<typeof scoreSchema>;

/**
 * A list tool answers `{ <key>: [...] }` (structured content must be an object) or, from older servers, a bare
 * array; items that fail the schema are dropped rather than failing the whole view.
 */
export function parseList<T>(value: unknown, key: string, schema: z.ZodType<T>): T[] {
  const raw = Array.isArray(value) ? value : value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(raw)) return [];
  const out: T[] = [];
  for (const item of raw) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** A single object, either bare or under `key`. */
export function parseOne<T>(value: unknown, key: string, schema: z.ZodType<T>): T | undefined {
  const candidate = value && typeof value === 'object' && key in (value as object) ? (value as Record<string, unknown>)[key] : value;
  const parsed = schema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** The states a task or run can be in, grouped for colour and icon. */
export type StateGroup = 'done' | 'running' | 'waiting' | 'failed' | 'blocked' | 'skipped' | 'cancelled';

export function stateGroup(status: string): StateGroup {
  const s = status.toLowerCase();
  if (/^(succeeded|completed|done|approved|active|passed)$/.test(s)) return 'done';
  if (/^(running|claimed|assigned|started|in_progress|verifying|executing|planning)$/.test(s)) return 'running';
  if (/^(failed|dead_letter|dead_lettered|rejected|terminated|error)$/.test(s)) return 'failed';
  if (/^(paused|awaiting_approval|pending_approval|blocked|suspended|partial|retry_wait|probation)$/.test(s)) return 'blocked';
  if (s === 'skipped') return 'skipped';
  if (s === 'cancelled' || s === 'canceled') return 'cancelled';
  return 'waiting';
}

/** Whether a run or task has finished (nothing more will happen to it). */
export function isFinished(status: string): boolean {
  return /^(succeeded|completed|partial|failed|cancelled|canceled|skipped|dead_letter)$/.test(status.toLowerCase());
}

/** "3/7" from a run's progress or from its tasks. */
export function progressOf(run: Run, tasks?: readonly Task[]): { done: number; total: number } {
  if (tasks && tasks.length) return { done: tasks.filter((t) => stateGroup(t.status) === 'done' || t.status === 'skipped').length, total: tasks.length };
  const p = run.progress as Record<string, unknown> | null | undefined;
  if (!p) return { done: 0, total: 0 };
  const n = (k: string) => Number(p[k] ?? 0) || 0;
  // The server counts tasks by status: finished work is succeeded plus skipped.
  return { done: p.done !== undefined ? n('done') : n('succeeded') + n('skipped'), total: n('total') };
}

export function formatUsd(value: number | null | undefined): string {
  const v = Number(value ?? 0);
  return v < 0.01 && v > 0 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`;
}

/** A run as it stood right after one of its events (get_run_state): its tasks, plan version, cost and approvals then. */
export const runStateSchema = z
  .object({
    runId: id,
    at: z.object({ seq: num, type: z.string().catch('event'), occurredAt: optionalText, actor: optionalText }).passthrough(),
    lastSeq: num,
    status: z.string().catch('unknown'),
    planVersion: num,
    costUsd: num,
    tasks: z.array(taskSchema.extend({ inPlan: z.boolean().catch(true) })).catch([]),
    pendingApprovals: z.array(z.object({ id, subject: optionalText, taskId: z.string().nullish(), reason: optionalText }).passthrough()).catch([]),
  })
  .passthrough();
export type RunState = z.infer<typeof runStateSchema>;

const planTaskSide = z
  .object({ id, title: z.string().catch(''), kind: optionalText, description: optionalText, dependsOn: z.array(z.string()).catch([]), scope: z.array(z.string()).catch([]), acceptance: z.unknown().optional() })
  .passthrough()
  .nullable()
  .catch(null);

/** Two of a run's plan versions side by side (get_plan_diff), task by task. */
export const planDiffSchema = z
  .object({
    runId: id,
    versions: z.array(z.object({ version: num, state: z.string().catch('applied'), planHash: optionalText, occurredAt: optionalText, actor: optionalText, approvalId: z.string().nullish(), taskCount: num }).passthrough()).catch([]),
    from: z.number().nullable().catch(null),
    to: num,
    rows: z.array(z.object({ key: z.string(), change: z.enum(['added', 'removed', 'changed', 'same']).catch('same'), fields: z.array(z.string()).catch([]), before: planTaskSide, after: planTaskSide })).catch([]),
    summary: z.object({ added: num, removed: num, changed: num, same: num }).catch({ added: 0, removed: 0, changed: 0, same: 0 }),
  })
  .passthrough();
export type PlanDiff = z.infer<typeof planDiffSchema>;
export type PlanDiffTask = NonNullable<PlanDiff['rows'][number]['before']>;

/** A task's commit as a unified diff (get_task_diff). */
export const taskDiffSchema = z.object({ attempt: num, against: z.string().catch('base'), from: z.string().catch(''), to: z.string().catch(''), diff: z.string().catch(''), truncated: z.boolean().catch(false) }).passthrough();
export type TaskDiff = z.infer<typeof taskDiffSchema>;
