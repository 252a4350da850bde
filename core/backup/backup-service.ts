// Backups of the database: create (dump + manifest), list, verify (restore into a scratch copy and check), restore, prune.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../domain/clock';
import { AuraError } from '../domain/errors';
import type { AuditSigner } from '../events/chain';
import type { EventLog } from '../events/event-log';
import { verifyChain } from '../events/verify-chain';
import type { Logger } from '../observability/logger';
import type { Store, StoreKind } from '../store/store';
import { type BackupManifest, type Census, compareCensus, manifestSchema } from './backup-manifest';
import { takeCensus } from './take-census';

/** How one kind of database is dumped and restored (adapters: pg_dump for PostgreSQL, the data folder for PGlite). */
export interface DumpEngine {
  readonly kind: StoreKind;
  /** The dump file's extension, e.g. `.dump`. */
  readonly extension: string;
  /** Writes a consistent dump to `file` and answers the census of exactly what it wrote, and the file's sha256. */
  dump(file: string): Promise<{ census: Census; sha256: string }>;
  /** Restores `file` into a scratch database, hands a store on it to `use`, and drops it afterwards. */
  withScratch<T>(file: string, use: (store: Store) => Promise<T>): Promise<T>;
  /** Replaces the configured database's contents with the dump's, all or nothing. */
  restore(file: string): Promise<void>;
}

export type BackupReason = BackupManifest['reason'];

export interface VerifyResult {
  manifest: BackupManifest;
  ok: boolean;
  problems: string[];
  events: number;
  durationMs: number;
}

export interface BackupService {
  readonly dir: string;
  create(reason: BackupReason, actor: string): Promise<BackupManifest>;
  /** Newest first; manifests that do not parse are named in `unreadable`. */
  list(): { backups: BackupManifest[]; unreadable: string[] };
  get(id: string): BackupManifest;
  verify(id: string, actor: string): Promise<VerifyResult>;
  /** Checks the file's sha256, then restores it; answers how long the restore took. */
  restore(id: string): Promise<{ manifest: BackupManifest; durationMs: number }>;
  /** The Director's cleanup: removes backups older than `days` (the only way backups are ever removed). */
  prune(days: number, actor: string): Promise<BackupManifest[]>;
}

export interface BackupServiceDeps {
  engine: DumpEngine;
  dir: string;
  signer: AuditSigner;
  clock: Clock;
  logger: Logger;
  /** Where BackupCreated/Verified/Pruned are recorded (the live database); absent: not recorded. */
  events?: EventLog;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const manifestFile = (dir: string, id: string) => path.join(dir, `aura-${id}.manifest.json`);

export function createBackupService(deps: BackupServiceDeps): BackupService {
  const { engine, dir, clock } = deps;

  const read = (file: string): BackupManifest => manifestSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));

  const list: BackupService['list'] = () => {
    const backups: BackupManifest[] = [];
    const unreadable: string[] = [];
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.manifest.json')) : [];
    for (const name of names) {
      try {
        backups.push(read(path.join(dir, name)));
      } catch {
        unreadable.push(name);
      }
    }
    backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { backups, unreadable };
  };

  const get = (id: string): BackupManifest => {
    const file = manifestFile(dir, id);
    if (!fs.existsSync(file)) throw new AuraError('not_found', `No backup ${id} in ${dir} (aura backup list shows them).`);
    try {
      return read(file);
    } catch (error) {
      throw new AuraError('tampered', `The manifest of backup ${id} does not read: ${(error as Error).message}`);
    }
  };

  const checkFile = async (manifest: BackupManifest): Promise<string | undefined> => {
    const file = path.join(dir, manifest.file);
    if (!fs.existsSync(file)) return `the dump ${manifest.file} is missing`;
    const sha = await sha256File(file);
    return sha === manifest.sha256 ? undefined : `the dump's sha256 is ${sha}, the manifest says ${manifest.sha256}`;
  };

  return {
    dir,
    async create(reason, actor) {
      const started = clock.now();
      const id = `${started.toISOString().replace(/[:.]/g, '').replace(/\d{3}Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const fileName = `aura-${id}${engine.extension}`;
      const partial = path.join(dir, `${fileName}.partial`);
      try {
        const { census, sha256 } = await engine.dump(partial);
        // The manifest is written last, by rename: a backup exists exactly when its manifest does.
        fs.renameSync(partial, path.join(dir, fileName));
        const file = path.join(dir, fileName);
        const manifest: BackupManifest = {
          format: 'aura.backup/1',
          id,
          kind: engine.kind,
          reason,
          createdAt: started.toISOString(),
          file: fileName,
          sizeBytes: fs.statSync(file).size,
          sha256,
          durationMs: clock.now().getTime() - started.getTime(),
          census,
        };
        const target = manifestFile(dir, id);
        fs.writeFileSync(`${target}.partial`, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
        fs.renameSync(`${target}.partial`, target);
        const rows = Object.values(census.tables).reduce((a, b) => a + b, 0);
        await deps.events?.append({
          type: 'BackupCreated',
          actor,
          payload: { backupId: id, kind: engine.kind, reason, file: fileName, sizeBytes: manifest.sizeBytes, sha256: manifest.sha256, rows, durationMs: manifest.durationMs },
        });
        deps.logger.info({ backup: id, reason, sizeBytes: manifest.sizeBytes, rows, durationMs: manifest.durationMs }, 'backup created');
        return manifest;
      } finally {
        fs.rmSync(partial, { force: true });
      }
    },
    list,
    get,
    async verify(id, actor) {
      const started = clock.now().getTime();
      const manifest = get(id);
      const fileProblem = await checkFile(manifest);
      let problems: string[] = fileProblem ? [fileProblem] : [];
      let events = 0;
      if (!fileProblem) {
        await engine.withScratch(path.join(dir, manifest.file), async (scratch) => {
          problems = compareCensus(manifest.census, await takeCensus(scratch));
          const chain = await verifyChain(scratch, deps.signer);
          events = chain.events;
          for (const p of chain.problems) problems.push(`audit chain: [${p.kind}] ${p.message}`);
        });
      }
      const durationMs = clock.now().getTime() - started;
      await deps.events?.append({ type: 'BackupVerified', actor, payload: { backupId: id, ok: problems.length === 0, problems: problems.slice(0, 20), durationMs } });
      return { manifest, ok: problems.length === 0, problems, events, durationMs };
    },
    async restore(id) {
      const manifest = get(id);
      if (manifest.kind !== engine.kind) throw new AuraError('conflict', `Backup ${id} is of a ${manifest.kind} database; this one is ${engine.kind}.`);
      const fileProblem = await checkFile(manifest);
      if (fileProblem) throw new AuraError('tampered', `Backup ${id} cannot be restored: ${fileProblem}.`);
      const started = clock.now().getTime();
      await engine.restore(path.join(dir, manifest.file));
      return { manifest, durationMs: clock.now().getTime() - started };
    },
    async prune(days, actor) {
      const cutoff = clock.now().getTime() - days * 86_400_000;
      const old = list().backups.filter((b) => Date.parse(b.createdAt) < cutoff);
      for (const b of old) {
        fs.rmSync(path.join(dir, b.file), { force: true });
        fs.rmSync(manifestFile(dir, b.id), { force: true });
      }
      if (old.length) await deps.events?.append({ type: 'BackupsPruned', actor, payload: { backupIds: old.map((b) => b.id), olderThanDays: days } });
      return old;
    },
  };
}
