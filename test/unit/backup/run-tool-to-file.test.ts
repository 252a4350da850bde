// A tool's stdout written to a file and hashed on the way (how pg_dump's output becomes a backup and its sha256).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runToolToFile } from '../../../adapters/backup/pg-tools';

describe('runToolToFile', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-tool-file-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH };

  it('writes every byte of the output (mode 0600) and answers their sha256', async () => {
    const file = path.join(dir, 'out.dump');
    // 3 MB in many chunks, so the hash sees more than one.
    const sha = await runToolToFile('sh', ['-c', 'head -c 3000000 /dev/zero | tr "\\0" "a"'], env, file);
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.length, 3_000_000);
    assert.equal(sha, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('fails with the exit code and the last words of a tool that fails', async () => {
    await assert.rejects(runToolToFile('sh', ['-c', 'printf partial; echo "pg_dump: error: no such table" >&2; exit 3'], env, path.join(dir, 'x.dump')), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'unavailable');
      assert.match(error.message, /sh failed \(exit 3\): pg_dump: error: no such table/);
      return true;
    });
  });

  it('names the tool when it is not installed', async () => {
    await assert.rejects(runToolToFile('aura-no-such-tool', [], env, path.join(dir, 'y.dump')), /aura-no-such-tool cannot be run \(ENOENT\)/);
  });

  it('fails when the file cannot be written', async () => {
    await assert.rejects(runToolToFile('sh', ['-c', 'echo data'], env, path.join(dir, 'missing-folder', 'z.dump')), /could not be written/);
  });
});
