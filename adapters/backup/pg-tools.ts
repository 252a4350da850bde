// Runs PostgreSQL's client tools (pg_dump, pg_restore, psql) with the connection in PG* variables, never on the command line.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuraError } from '../../core/domain/errors';

/** The PG* environment of a postgres:// URL (the password stays out of `ps`), plus PATH and the locale. */
export function pgEnvironment(url: string, database?: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LANG: process.env.LANG ?? 'C.UTF-8' };
  if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname);
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  env.PGDATABASE = database ?? decodeURIComponent(u.pathname.replace(/^\//, ''));
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  env.PGAPPNAME = 'aura-backup';
  return env;
}

/** The same URL pointing at another database of the server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const tail = (text: string) => text.trim().split('\n').slice(-5).join(' | ');

/** Runs one tool to its end; a missing tool or a non-zero exit is an error naming it and its last words. */
export function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => reject(missing(tool, error)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new AuraError('unavailable', `${tool} failed (exit ${code}): ${tail(stderr)}`, { retryable: false }))));
  });
}

/**
 * Runs a tool that writes its output to stdout into `file` (mode 0600), hashing the bytes on their way: answers their
 * sha256 without reading the file a second time.
 */
export function runToolToFile(tool: string, args: string[], env: NodeJS.ProcessEnv, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let failed: Error | undefined;
    child.on('error', (error) => (failed ??= missing(tool, error)));
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // Settles with the write's error (or none) at once, so a failed write is never an unhandled rejection.
    const written = pipeline(child.stdout, hashing, fs.createWriteStream(file, { mode: 0o600 })).then(
      () => undefined,
      (error: Error) => error,
    );
    child.on('close', (code) => {
      void written.then((writeError) => {
        if (failed) return reject(failed);
        if (writeError) return reject(new AuraError('unavailable', `${tool}'s output could not be written to ${file}: ${writeError.message}`, { cause: writeError }));
        if (code !== 0) return reject(new AuraError('unavailable', `${tool} failed (exit ${code}): ${tail(stderr)}`, { retryable: false }));
        resolve(hash.digest('hex'));
      });
    });
  });
}

function missing(tool: string, error: Error): AuraError {
  return new AuraError('config', `${tool} cannot be run (${(error as NodeJS.ErrnoException).code ?? error.message}): install PostgreSQL's client tools (Debian/Ubuntu: apt-get install postgresql-client).`);
}

/**
 * Restores a custom-format dump in one transaction: psql reads `prelude` and then pg_restore's SQL, and commits only if
 * every statement succeeded, so a failed restore leaves the database as it was.
 */
export function restoreInOneTransaction(file: string, prelude: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const psql = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', '-'], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    const restore = spawn('pg_restore', ['--no-owner', '--no-privileges', '--file=-', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    psql.stderr.on('data', (d) => (errors += d));
    restore.stderr.on('data', (d) => (errors += d));
    let failed: Error | undefined;
    psql.on('error', (e) => (failed ??= missing('psql', e)));
    restore.on('error', (e) => (failed ??= missing('pg_restore', e)));
    psql.stdin.on('error', () => undefined); // psql stopping early (ON_ERROR_STOP) closes its stdin: its exit code says why
    psql.stdin.write(prelude);
    restore.stdout.pipe(psql.stdin);
    let restoreCode: number | null = null;
    restore.on('exit', (code) => (restoreCode = code));
    psql.on('close', (code) => {
      if (failed) return reject(failed);
      if (code === 0 && restoreCode === 0) return resolve();
      reject(new AuraError('unavailable', `Restore failed (pg_restore exit ${restoreCode}, psql exit ${code}); nothing was changed: ${tail(errors)}`, { retryable: false }));
    });
  });
}
