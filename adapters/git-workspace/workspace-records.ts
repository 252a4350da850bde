// Where a run's workspace and its attempts' worktrees live on disk, and the small records that remember them.
// Records sit beside the worktrees, outside any folder mounted into a container, so an employee cannot edit them.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AuraError, describeIssues } from '../../core/domain/errors';
import type { AttemptKey } from '../../core/workspace/workspace';

const runRecordSchema = z.object({
  runId: z.string(),
  repoPath: z.string(),
  runBranch: z.string(),
  baseCommit: z.string().regex(/^[0-9a-f]{40,64}$/),
  createdRepo: z.boolean(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

const attemptRecordSchema = z.object({
  runId: z.string(),
  taskId: z.string(),
  attempt: z.number().int().positive(),
  branch: z.string(),
  path: z.string(),
  /** The worktree's own git folder, read when the worktree was made (never from the worktree's .git file later). */
  gitDir: z.string(),
  baseCommit: z.string().regex(/^[0-9a-f]{40,64}$/),
  released: z.boolean(),
});
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;

export interface WorkspaceLayout {
  runDir(runId: string): string;
  /** Where a repository the product creates for a run lives. */
  newRepoDir(runId: string): string;
  tasksDir(runId: string): string;
  worktreeDir(key: AttemptKey): string;
  readRun(runId: string): RunRecord | null;
  /** Writes the run record once; when another process wrote it first, returns theirs. */
  createRun(record: RunRecord): RunRecord;
  readAttempt(key: AttemptKey): AttemptRecord | null;
  writeAttempt(record: AttemptRecord): void;
}

function readJson<T>(file: string, schema: z.ZodType<T>): T | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new AuraError('internal', `Workspace record ${file} is invalid: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Writes a file atomically (temp file + rename) so a reader never sees half a record. */
function writeJsonAtomic(file: string, value: unknown): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(temp, file);
}

export function workspaceLayout(workspacesDir: string): WorkspaceLayout {
  const runDir = (runId: string) => path.join(workspacesDir, runId);
  const attemptName = (key: AttemptKey) => `${key.taskId}-a${key.attempt}`;
  const tasksDir = (runId: string) => path.join(runDir(runId), 'tasks');
  return {
    runDir,
    newRepoDir: (runId) => path.join(runDir(runId), 'repo'),
    tasksDir,
    worktreeDir: (key) => path.join(tasksDir(key.runId), attemptName(key)),
    readRun: (runId) => readJson(path.join(runDir(runId), 'workspace.json'), runRecordSchema),
    createRun(record) {
      fs.mkdirSync(runDir(record.runId), { recursive: true, mode: 0o700 });
      const file = path.join(runDir(record.runId), 'workspace.json');
      try {
        fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
        return record;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        return readJson(file, runRecordSchema)!;
      }
    },
    readAttempt: (key) => readJson(path.join(tasksDir(key.runId), `${attemptName(key)}.json`), attemptRecordSchema),
    writeAttempt(record) {
      fs.mkdirSync(tasksDir(record.runId), { recursive: true, mode: 0o700 });
      writeJsonAtomic(path.join(tasksDir(record.runId), `${attemptName(record)}.json`), record);
    },
  };
}
