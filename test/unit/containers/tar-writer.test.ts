// The tar writer: GNU tar reads back what it wrote (files, links, directories, long names).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createTarStream, type TarEntry } from '../../../adapters/containers/tar-writer';

describe('createTarStream', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-tar-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes an archive that tar extracts with contents, modes and links intact', async () => {
    const source = path.join(dir, 'source.bin');
    fs.writeFileSync(source, Buffer.alloc(1500, 7));
    const longDir = `usr/${'d'.repeat(120)}`;
    const longName = `${longDir}/${'f'.repeat(120)}`;
    const entries: TarEntry[] = [
      { type: 'dir', path: 'usr', mode: 0o755 },
      { type: 'dir', path: 'usr/bin', mode: 0o755 },
      { type: 'file', path: 'usr/bin/tool', mode: 0o755, size: 1500, source },
      { type: 'file', path: 'etc-passwd', mode: 0o644, content: Buffer.from('nobody:x:65534:65534::/tmp:/bin/sh\n') },
      { type: 'symlink', path: 'usr/bin/alias', target: 'tool' },
      { type: 'hardlink', path: 'usr/bin/twin', target: 'usr/bin/tool' },
      { type: 'dir', path: 'tmp', mode: 0o1777 },
      { type: 'dir', path: longDir, mode: 0o755 },
      { type: 'file', path: longName, mode: 0o600, content: Buffer.from('long') },
      { type: 'symlink', path: 'usr/far', target: `/${longName}` },
    ];
    const archive = path.join(dir, 'out.tar');
    await pipeline(createTarStream(entries), fs.createWriteStream(archive));
    assert.equal(fs.statSync(archive).size % 512, 0);
    const out = path.join(dir, 'x');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xpf', archive, '-C', out]);
    assert.deepEqual(fs.readFileSync(path.join(out, 'usr/bin/tool')), Buffer.alloc(1500, 7));
    assert.equal(fs.statSync(path.join(out, 'usr/bin/tool')).mode & 0o7777, 0o755);
    assert.equal(fs.readFileSync(path.join(out, 'etc-passwd'), 'utf8'), 'nobody:x:65534:65534::/tmp:/bin/sh\n');
    assert.equal(fs.readlinkSync(path.join(out, 'usr/bin/alias')), 'tool');
    assert.equal(fs.statSync(path.join(out, 'usr/bin/twin')).ino, fs.statSync(path.join(out, 'usr/bin/tool')).ino);
    assert.equal(fs.statSync(path.join(out, 'tmp')).mode & 0o7777, 0o1777);
    assert.equal(fs.readFileSync(path.join(out, longName), 'utf8'), 'long');
    assert.equal(fs.readlinkSync(path.join(out, 'usr/far')), `/${longName}`);
  });

  it('fails when a source file changed size while it was archived', async () => {
    const source = path.join(dir, 'shrinks');
    fs.writeFileSync(source, 'short');
    const entries: TarEntry[] = [{ type: 'file', path: 'f', mode: 0o644, size: 999, source }];
    await assert.rejects(pipeline(createTarStream(entries), fs.createWriteStream(path.join(dir, 'o.tar'))), /shrank/);
  });
});
