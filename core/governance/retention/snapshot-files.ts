// Task snapshot folders ($AURA_HOME/snapshots/<task>/, runlogs) whose every file is older than the retention cutoff.
import fs from 'node:fs';
import path from 'node:path';

function newestMtime(dir: string): number {
  let newest = fs.statSync(dir).mtimeMs;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.lstatSync(full).mtimeMs);
  }
  return newest;
}

export function expiredSnapshotFolders(snapshotsDir: string, cutoff: Date): string[] {
  if (!fs.existsSync(snapshotsDir)) return [];
  return fs
    .readdirSync(snapshotsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(snapshotsDir, entry.name))
    .filter((dir) => newestMtime(dir) < cutoff.getTime());
}

export function removeFolders(folders: readonly string[]): void {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
}
