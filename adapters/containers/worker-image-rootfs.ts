// The worker image's root filesystem, gathered from the host: node, git, busybox and the shared libraries they load.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { AuraError } from '../../core/domain/errors';
import type { TarEntry } from './tar-writer';

const run = promisify(execFile);

/** The unprivileged user every worker container runs as (the image's USER too). */
export const workerUser = '65534:65534';

export interface RootfsSources {
  /** The node binary to ship; default: the one running this process. */
  node?: string;
  /** A statically linked busybox; default: /bin/busybox (Debian's busybox-static). */
  busybox?: string;
  /** The git binary; default: `git` on PATH. `false` leaves git out. */
  git?: string | false;
}

export interface WorkerRootfs {
  entries: TarEntry[];
  fingerprint: string;
  sizeBytes: number;
  versions: { node: string; git: string | null; busybox: string };
  notes: string[];
}

const passwd = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n';
const group = 'root:x:0:\nnogroup:x:65534:\n';
const nsswitch = 'passwd: files\ngroup: files\nhosts: files dns\n';

/** Where a host path goes in the image: merged /usr, as on Debian 12 (the image links /bin, /lib... into /usr). */
export function imagePath(hostPath: string): string {
  const rel = hostPath.replace(/^\/+/, '');
  return /^(bin|sbin|lib|lib64)(\/|$)/.test(rel) ? `usr/${rel}` : rel;
}

export async function isElf(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    await handle.close();
  }
}

/** The shared libraries `ldd` lists for a binary; null when one of them cannot be found. */
export async function sharedLibraries(binary: string): Promise<string[] | null> {
  let stdout: string;
  try {
    ({ stdout } = await run('ldd', [binary]));
  } catch (error) {
    const out = String((error as { stdout?: string; stderr?: string }).stdout ?? '') + String((error as { stderr?: string }).stderr ?? '');
    if (/not a dynamic executable|statically linked/.test(out)) return [];
    throw new AuraError('internal', `ldd ${binary} failed: ${(error as Error).message}`, { cause: error });
  }
  if (/not found/.test(stdout)) return null;
  return [...stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
}

export class RootfsCollector {
  readonly entries = new Map<string, TarEntry & { ino?: string; mtimeMs?: number }>();

  dir(rel: string, mode = 0o755): void {
    const parts = rel.split('/').filter((p) => p && p !== '.');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      const existing = this.entries.get(p);
      if (!existing) this.entries.set(p, { type: 'dir', path: p, mode: i === parts.length ? mode : 0o755 });
    }
  }

  content(rel: string, text: string, mode = 0o644): void {
    this.dir(path.posix.dirname(rel));
    this.entries.set(rel, { type: 'file', path: rel, mode, content: Buffer.from(text) });
  }

  symlink(rel: string, target: string): void {
    this.dir(path.posix.dirname(rel));
    if (!this.entries.has(rel)) this.entries.set(rel, { type: 'symlink', path: rel, target });
  }

  /** Adds a host file at the same place, following (and keeping) symbolic links on the way. */
  host(hostPath: string, depth = 0): void {
    if (depth > 16) throw new AuraError('internal', `too many symbolic links at ${hostPath}`);
    const leaf = path.join(fs.realpathSync(path.dirname(path.resolve(hostPath))), path.basename(hostPath));
    const rel = imagePath(leaf);
    if (this.entries.has(rel)) return;
    const stat = fs.lstatSync(leaf);
    if (stat.isSymbolicLink()) {
      const target = fs.readlinkSync(leaf);
      this.symlink(rel, target);
      this.host(path.resolve(path.dirname(leaf), target), depth + 1);
    } else if (stat.isFile()) {
      this.dir(path.posix.dirname(rel));
      this.entries.set(rel, { type: 'file', path: rel, mode: stat.mode & 0o7777, size: stat.size, source: leaf, ino: `${stat.dev}:${stat.ino}`, mtimeMs: stat.mtimeMs });
    } else if (stat.isDirectory()) {
      this.dir(rel, stat.mode & 0o7777);
    }
  }

  /** A binary and every library it loads; false (and nothing added) when a library is missing. */
  async binary(hostPath: string): Promise<boolean> {
    const libs = await sharedLibraries(hostPath);
    if (libs === null) return false;
    this.host(hostPath);
    for (const lib of libs) this.host(lib);
    return true;
  }

  /** Every entry, parents before children; files sharing an inode become hard links to the first. */
  list(): TarEntry[] {
    const sorted = [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const firstByInode = new Map<string, string>();
    return sorted.map((e): TarEntry => {
      if (e.type !== 'file' || !('source' in e)) return e;
      const first = firstByInode.get(e.ino!);
      if (first) return { type: 'hardlink', path: e.path, target: first };
      firstByInode.set(e.ino!, e.path);
      return { type: 'file', path: e.path, mode: e.mode, size: e.size, source: e.source };
    });
  }
}

async function version(binary: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(binary, args).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
  return (stdout || stderr).split('\n')[0]!.trim();
}

async function findOnPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = path.join(dir || '.', name);
    try {
      await fs.promises.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory; try the next
    }
  }
  return null;
}

async function addGit(c: RootfsCollector, git: string, notes: string[]): Promise<boolean> {
  if (!(await c.binary(git))) {
    notes.push(`git left out: a library of ${git} is missing on the host`);
    return false;
  }
  const execPath = (await run(git, ['--exec-path'])).stdout.trim();
  const skipped: string[] = [];
  for (const name of fs.readdirSync(execPath).sort()) {
    const file = path.join(execPath, name);
    const stat = fs.lstatSync(file);
    if (stat.isSymbolicLink()) c.host(file);
    else if (stat.isFile() && (await isElf(file))) {
      if (!(await c.binary(file))) skipped.push(name);
    } else if (stat.isFile()) {
      // Shell scripts and shell libraries run on busybox sh; perl or python helpers cannot run here.
      const first = fs.readFileSync(file, 'utf8').slice(0, 64).split('\n')[0]!;
      if (!first.startsWith('#!') || /^#!\s*\/bin\/sh\b/.test(first)) c.host(file);
      else skipped.push(name);
    }
  }
  if (skipped.length) notes.push(`git helpers left out (interpreter or library missing): ${skipped.join(', ')}`);
  const templates = '/usr/share/git-core/templates';
  if (fs.existsSync(templates)) {
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        c.host(file);
        if (fs.lstatSync(file).isDirectory()) walk(file);
      }
    };
    c.host(templates);
    walk(templates);
  }
  return true;
}

/** Gathers the root filesystem; fails with what to install when busybox or node cannot be used. */
export async function collectWorkerRootfs(sources: RootfsSources = {}): Promise<WorkerRootfs> {
  const notes: string[] = [];
  const node = sources.node ?? process.execPath;
  const busybox = sources.busybox ?? '/bin/busybox';
  if (!fs.existsSync(busybox)) {
    throw new AuraError('config', `${busybox} not found: install Debian's busybox-static (apt-get install busybox-static)`);
  }
  if ((await sharedLibraries(busybox))?.length !== 0) {
    throw new AuraError('config', `${busybox} is not statically linked: install Debian's busybox-static`);
  }
  const c = new RootfsCollector();
  for (const top of ['bin', 'sbin', 'lib', 'lib64']) {
    c.dir(`usr/${top}`);
    c.symlink(top, `usr/${top}`);
  }
  for (const d of ['dev', 'proc', 'sys', 'etc', 'run', 'usr/local/bin', 'workspace']) c.dir(d);
  c.dir('tmp', 0o1777);
  c.dir('root', 0o700);
  c.content('etc/passwd', passwd);
  c.content('etc/group', group);
  c.content('etc/nsswitch.conf', nsswitch);
  for (const f of ['/etc/ssl/certs/ca-certificates.crt']) if (fs.existsSync(f)) c.host(f);

  if (!(await c.binary(node))) throw new AuraError('config', `a shared library of ${node} is missing on the host (see ldd ${node})`);
  c.symlink('usr/local/bin/node', `/${imagePath(fs.realpathSync(node))}`);

  let gitVersion: string | null = null;
  const git = sources.git === false ? null : (sources.git ?? (await findOnPath('git')));
  if (sources.git === false) notes.push('git left out on request');
  else if (!git) notes.push('git left out: no git on the host (apt-get install git)');
  else if (await addGit(c, git, notes)) gitVersion = await version(git, ['--version']);

  c.host(busybox);
  const busyboxInImage = `/${imagePath(fs.realpathSync(busybox))}`;
  const applets = (await run(busybox, ['--list-full'])).stdout.split('\n').filter(Boolean);
  for (const applet of applets) {
    const rel = imagePath(applet);
    // linuxrc (an init for initramfs) is the one applet at the top; a container has no use for it.
    if (rel.includes('/') && path.posix.basename(rel) !== 'busybox') c.symlink(rel, busyboxInImage);
  }

  const entries = c.list();
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for (const e of c.entries.values()) {
    const stamp = e.type === 'file' && 'source' in e ? `${e.size}:${e.mtimeMs}` : e.type === 'file' ? createHash('sha256').update(e.content).digest('hex') : '';
    hash.update(`${e.type} ${e.path} ${'mode' in e ? e.mode : ''} ${'target' in e ? e.target : ''} ${stamp}\n`);
    if (e.type === 'file') sizeBytes += 'size' in e ? e.size : e.content.length;
  }
  return {
    entries,
    fingerprint: hash.digest('hex').slice(0, 32),
    sizeBytes,
    versions: { node: await version(node, ['--version']), git: gitVersion, busybox: await version(busybox, ['--help']) },
    notes,
  };
}
