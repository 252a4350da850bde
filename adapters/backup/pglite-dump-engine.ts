// Backups of the embedded database: PGlite's own dump of its data folder (a gzipped tar), restored by loading it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Census } from '../../core/backup/backup-manifest';
import type { DumpEngine } from '../../core/backup/backup-service';
import { takeCensus } from '../../core/backup/take-census';
import { acquireDirLock } from '../store-pglite/dir-lock';
import { openPgliteStore, type PgliteStore } from '../store-pglite/pglite-store';

const load = (file: string) => new Blob([fs.readFileSync(file)]);

/**
 * `store` is the open database being backed up (PGlite is one process's: only its holder can dump it); `dbDir` is the
 * folder a restore replaces, while nothing holds it.
 */
export function createPgliteDumpEngine(deps: { store?: PgliteStore; dbDir: string; now?: () => Date }): DumpEngine {
  const engine: DumpEngine = {
    kind: 'pglite',
    extension: '.tar.gz',
    async dump(file): Promise<{ census: Census; sha256: string }> {
      if (!deps.store) throw new Error('no open embedded database to dump');
      const bytes = Buffer.from(await (await deps.store.dumpDataDir()).arrayBuffer());
      fs.writeFileSync(file, bytes, { mode: 0o600 });
      // The census is taken from the file itself: queries could slip in between a count and the dump otherwise.
      return { census: await engine.withScratch(file, (scratch) => takeCensus(scratch)), sha256: createHash('sha256').update(bytes).digest('hex') };
    },
    async withScratch(file, use) {
      const scratch = await openPgliteStore({ loadDataDir: load(file) });
      try {
        return await use(scratch);
      } finally {
        await scratch.close();
      }
    },
    async restore(file) {
      const blob = load(file);
      const release = acquireDirLock(deps.dbDir); // nothing may hold the folder being replaced
      try {
        // Load into a new folder first; only a copy that opened replaces the current one, which is kept beside it.
        const incoming = `${deps.dbDir}.restoring`;
        fs.rmSync(incoming, { recursive: true, force: true });
        const restored = await openPgliteStore({ dataDir: incoming, loadDataDir: blob });
        await restored.close();
        if (fs.existsSync(deps.dbDir)) fs.renameSync(deps.dbDir, `${deps.dbDir}.before-restore-${(deps.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '')}`);
        fs.renameSync(incoming, deps.dbDir);
      } finally {
        release();
      }
    },
  };
  return engine;
}
