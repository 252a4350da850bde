// Exports exactly one commit's tree (git archive) into a fresh folder: what the Auditor's checks run on.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuraError } from '../../domain/errors';

export interface ExportedTree {
  dir: string;
  dispose(): void;
}

/** An empty folder the auditor's container (any uid) may write to. */
export function freshFolder(prefix = 'aura-audit-'): ExportedTree {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o777);
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function makeWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      fs.chmodSync(full, 0o777);
      makeWritable(full);
    } else fs.chmodSync(full, fs.statSync(full).mode & 0o111 ? 0o777 : 0o666);
  }
}

/**
 * `git archive <commit> | tar -x`: no .git, no worktree link, nothing the employee's folder still holds beyond
 * the commit. The folder and its contents are world-writable so the checks may build inside it.
 */
export async function exportCommit(repoPath: string, commit: string, timeoutMs = 120_000): Promise<ExportedTree> {
  if (!/^[0-9a-f]{7,64}$/.test(commit)) throw new AuraError('invalid_input', `"${commit}" is not a commit id.`);
  const tree = freshFolder();
  try {
    await new Promise<void>((resolve, reject) => {
      const git = spawn('git', ['-C', repoPath, 'archive', '--format=tar', commit], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() } });
      const tar = spawn('tar', ['-x', '-C', tree.dir], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      git.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      tar.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      git.stdout.pipe(tar.stdin);
      const timer = setTimeout(() => {
        git.kill('SIGKILL');
        tar.kill('SIGKILL');
      }, timeoutMs);
      let pending = 2;
      let failed: string | null = null;
      const done = (who: string) => (code: number | null) => {
        if (code !== 0 && !failed) failed = `${who} exited with ${code}`;
        if (--pending > 0) return;
        clearTimeout(timer);
        if (failed) reject(new AuraError('unavailable', `Could not export commit ${commit} from ${repoPath}: ${failed}: ${stderr.trim().slice(0, 500)}`));
        else resolve();
      };
      git.on('close', done('git archive'));
      tar.on('close', done('tar'));
      git.on('error', (e) => reject(new AuraError('unavailable', `git is not available: ${e.message}`)));
      tar.on('error', (e) => reject(new AuraError('unavailable', `tar is not available: ${e.message}`)));
    });
    makeWritable(tree.dir);
    return tree;
  } catch (error) {
    tree.dispose();
    throw error;
  }
}
