// The runlog of a task attempt: each command, write and model round, in the database and in snapshots/<task>/runlog.txt.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../domain/clock';
import { systemClock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import type { Queryable, Store } from '../../store/store';
import { workspaceIdSchema } from '../../workspace/workspace';
import type { Assignment } from '../worker';

export const runlogKinds = ['model', 'write', 'delete', 'command', 'check', 'agent', 'note'] as const;
export type RunlogKind = (typeof runlogKinds)[number];

export interface RunlogEntryInput {
  kind: RunlogKind;
  /** The command line (or the path written, or the model round's name). */
  command?: string;
  exitCode?: number | null;
  durationMs?: number;
  /** How it ended: exited, killed, timeout, oom, denied, ... */
  reason?: string;
  stdout?: string;
  stderr?: string;
  truncated?: boolean;
  detail?: Record<string, unknown>;
}

export interface RunlogEntry extends RunlogEntryInput {
  runId: string;
  taskId: string;
  attempt: number;
  seq: number;
  employeeId: string;
  at: Date;
}

export interface AttemptRunlog {
  add(entry: RunlogEntryInput): Promise<RunlogEntry>;
  readonly entries: readonly RunlogEntry[];
}

export interface Runlogs {
  /** Starts (or, for an attempt run again after a lease expired, continues) an attempt's runlog. */
  open(assignment: Assignment, redact?: readonly string[]): Promise<AttemptRunlog>;
  /** The entries of a task (one attempt, or all), in order. */
  read(taskId: string, attempt?: number, tx?: Queryable): Promise<RunlogEntry[]>;
  /** `$AURA_HOME/snapshots/<task-id>/runlog.txt`. */
  fileOf(taskId: string): string;
}

/** Output kept per stream in the runlog (the runtime's own cap is larger). */
export const RUNLOG_MAX_STREAM = 256 * 1024;

function clip(text: string | undefined, redact: readonly string[]): { text: string | undefined; clipped: boolean } {
  if (text === undefined) return { text, clipped: false };
  let out = text.replace(/\u0000/g, '\uFFFD');
  for (const secret of redact) if (secret.length >= 4) out = out.split(secret).join('***');
  if (out.length <= RUNLOG_MAX_STREAM) return { text: out, clipped: false };
  const half = RUNLOG_MAX_STREAM / 2;
  return { text: `${out.slice(0, half)}\n[... ${out.length - RUNLOG_MAX_STREAM} characters dropped ...]\n${out.slice(-half)}`, clipped: true };
}

function formatEntry(e: RunlogEntry): string {
  const head = `[${e.at.toISOString()}] #${e.seq} ${e.kind}${e.command !== undefined ? ` $ ${e.command}` : ''}`;
  const facts = [e.exitCode !== undefined && e.exitCode !== null ? `exit ${e.exitCode}` : '', e.durationMs !== undefined ? `${e.durationMs} ms` : '', e.reason && e.reason !== 'exited' ? e.reason : '']
    .filter(Boolean)
    .join(', ');
  const parts = [facts ? `${head}  (${facts})` : head];
  if (e.detail) parts.push(`  ${JSON.stringify(e.detail)}`);
  if (e.stdout) parts.push('--- stdout', e.stdout.replace(/\n$/, ''));
  if (e.stderr) parts.push('--- stderr', e.stderr.replace(/\n$/, ''));
  return parts.join('\n') + '\n';
}

const rowSchema = z.object({
  run_id: z.string(),
  task_id: z.string(),
  attempt: z.number(),
  seq: z.number(),
  employee_id: z.string(),
  kind: z.enum(runlogKinds),
  command: z.string().nullable(),
  exit_code: z.number().nullable(),
  duration_ms: z.number().nullable(),
  reason: z.string().nullable(),
  stdout: z.string().nullable(),
  stderr: z.string().nullable(),
  truncated: z.boolean(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  at: z.date(),
});

export function createRunlogs(deps: { store: Store; snapshotsDir: string; clock?: Clock }): Runlogs {
  const { store, snapshotsDir, clock = systemClock } = deps;
  const fileOf = (taskId: string) => {
    if (!workspaceIdSchema.safeParse(taskId).success) throw new AuraError('invalid_input', `Task id "${taskId}" cannot name a snapshot folder.`);
    return path.join(snapshotsDir, taskId, 'runlog.txt');
  };
  return {
    fileOf,
    async open(assignment, redact = []) {
      const file = fileOf(assignment.taskId);
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const last = await store.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM aura.task_runlog WHERE task_id = $1 AND attempt = $2', [assignment.taskId, assignment.attempt]);
      let seq = Number(last.rows[0]?.seq ?? 0);
      const { employee } = assignment;
      fs.appendFileSync(file, `\n=== ${assignment.task.id} "${assignment.task.title}" · attempt ${assignment.attempt} · ${employee.profile.name} (${employee.id}, ${employee.profile.provider}/${employee.profile.model}) · ${clock.now().toISOString()}\n`, { mode: 0o600 });
      const entries: RunlogEntry[] = [];
      return {
        entries,
        async add(input) {
          const stdout = clip(input.stdout, redact);
          const stderr = clip(input.stderr, redact);
          const command = clip(input.command, redact).text;
          seq += 1;
          const entry: RunlogEntry = { ...input, command, stdout: stdout.text, stderr: stderr.text, truncated: Boolean(input.truncated || stdout.clipped || stderr.clipped), runId: assignment.runId, taskId: assignment.taskId, attempt: assignment.attempt, seq, employeeId: employee.id, at: clock.now() };
          await store.query(
            `INSERT INTO aura.task_runlog (run_id, task_id, attempt, seq, employee_id, kind, command, exit_code, duration_ms, reason, stdout, stderr, truncated, detail, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
            [entry.runId, entry.taskId, entry.attempt, entry.seq, entry.employeeId, entry.kind, entry.command ?? null, entry.exitCode ?? null, entry.durationMs === undefined ? null : Math.round(entry.durationMs), entry.reason ?? null, entry.stdout ?? null, entry.stderr ?? null, entry.truncated, entry.detail ? JSON.stringify(entry.detail) : null, entry.at.toISOString()],
          );
          fs.appendFileSync(file, formatEntry(entry));
          entries.push(entry);
          return entry;
        },
      };
    },
    async read(taskId, attempt, tx = store) {
      const rows = await tx.query(
        `SELECT run_id, task_id, attempt, seq, employee_id, kind, command, exit_code, duration_ms, reason, stdout, stderr, truncated, detail, at
           FROM aura.task_runlog WHERE task_id = $1 AND ($2::int IS NULL OR attempt = $2) ORDER BY attempt, seq`,
        [taskId, attempt ?? null],
      );
      return rows.rows.map((raw) => {
        const r = rowSchema.parse(raw);
        const entry: RunlogEntry = { runId: r.run_id, taskId: r.task_id, attempt: r.attempt, seq: r.seq, employeeId: r.employee_id, kind: r.kind, truncated: r.truncated, at: r.at };
        if (r.command !== null) entry.command = r.command;
        if (r.exit_code !== null) entry.exitCode = r.exit_code;
        if (r.duration_ms !== null) entry.durationMs = r.duration_ms;
        if (r.reason !== null) entry.reason = r.reason;
        if (r.stdout !== null) entry.stdout = r.stdout;
        if (r.stderr !== null) entry.stderr = r.stderr;
        if (r.detail !== null) entry.detail = r.detail;
        return entry;
      });
    },
  };
}
