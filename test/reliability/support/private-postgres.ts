// A PostgreSQL server of the suite's own (Debian's initdb/pg_ctl on a free port under a temporary folder), for the
// test that restarts PostgreSQL mid-run: the machine's shared server is never restarted.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/cli';

export interface PrivatePostgres {
  url: string;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when it returns. */
  restart(): void;
  stop(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('The PostgreSQL restart test needs Debian\'s PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin/initdb); apt-get install postgresql.');
  return path.join(root, versions[0]!, 'bin');
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-private-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  // initdb refuses to run as root: the cluster then belongs to the postgres user, as Debian's own does.
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) fs.chmodSync(dir, 0o777);
  // The server pg_ctl starts would inherit piped output and keep execFileSync waiting: it logs to a file instead,
  // and pg_ctl's own output is not captured.
  const run = (cmd: string, args: string[]) =>
    asPostgres ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'ignore' }) : execFileSync(path.join(bin, cmd), args, { stdio: 'ignore' });
  const log = path.join(dir, 'server.log');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  // pg_ctl detaches the server (its own session); its log goes to a file beside the data folder.
  run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', 'start']);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'aura']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/aura`,
    restart: () => void run('pg_ctl', ['-D', data, '-l', log, '-m', 'fast', '-w', '-o', options, 'restart']),
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
