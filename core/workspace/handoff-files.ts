// Files handed between the host and an employee's container through <worktree>/.aura/, refusing symlinks.
// The container can write anything in its worktree, so the host never follows a link it may have planted there.
import fs from 'node:fs';
import path from 'node:path';
import { AuraError } from '../domain/errors';
import { HANDOFF_DIR } from './scope';

function handoffDir(workdir: string): string {
  return path.join(workdir, HANDOFF_DIR);
}

/** Makes <workdir>/.aura a real folder the container's user can write (replacing a link or file found there). */
export function ensureHandoffDir(workdir: string): string {
  const dir = handoffDir(workdir);
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) fs.rmSync(dir, { force: true });
  if (!stat || !stat.isDirectory()) fs.mkdirSync(dir);
  // The container runs as an unprivileged user of its own; the worktree's parent folder keeps others out.
  fs.chmodSync(dir, 0o777);
  return dir;
}

/** Writes <workdir>/.aura/<name> as a new regular file (an existing entry of that name is removed first). */
export function writeHandoffFile(workdir: string, name: string, content: string): string {
  const dir = ensureHandoffDir(workdir);
  const file = path.join(dir, path.basename(name));
  fs.rmSync(file, { force: true, recursive: false });
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
  try {
    fs.writeFileSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/**
 * Reads <workdir>/.aura/<name> when it is a regular file of at most `maxBytes`; null when absent.
 * A link, a folder, or a file too large is refused with `invalid_input` (the employee's mistake or attack).
 */
export function readHandoffFile(workdir: string, name: string, maxBytes: number): string | null {
  const dir = handoffDir(workdir);
  const dirStat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!dirStat) return null;
  if (!dirStat.isDirectory()) throw new AuraError('invalid_input', `${HANDOFF_DIR} in the workspace is not a folder (a link or file was put there).`);
  const file = path.join(dir, path.basename(name));
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new AuraError('invalid_input', `${HANDOFF_DIR}/${name} is a symbolic link; it must be a regular file.`);
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new AuraError('invalid_input', `${HANDOFF_DIR}/${name} is not a regular file.`);
    if (stat.size > maxBytes) throw new AuraError('invalid_input', `${HANDOFF_DIR}/${name} is ${stat.size} bytes; at most ${maxBytes} are accepted.`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}
