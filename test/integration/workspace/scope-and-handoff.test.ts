// Task scope globs, safe workspace paths, and the .aura/ hand-off files that refuse planted links.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readHandoffFile, writeHandoffFile } from '../../../core/workspace/handoff-files';
import { normaliseWorkspacePath, scopeMatcher } from '../../../core/workspace/scope';

describe('task scope', () => {
  it('matches *, ** and ? globs and plain folder or file names', () => {
    const scope = scopeMatcher(['src/**/*.ts', 'docs/*.md', 'README.md', 'lib', 'v?.txt']);
    for (const p of ['src/a.ts', 'src/x/y/z.ts', 'docs/guide.md', 'README.md', 'lib/deep/file.js', 'lib', 'v1.txt']) assert.ok(scope.allows(p), p);
    for (const p of ['src/a.js', 'docs/sub/guide.md', 'README.md.bak', 'library/x', 'v10.txt', 'other.ts']) assert.ok(!scope.allows(p), p);
    assert.deepEqual(scope.outside(['src/a.ts', 'secret.env']), ['secret.env']);
  });

  it('allows nothing with an empty scope, and everything with **', () => {
    assert.equal(scopeMatcher([]).allows('a.txt'), false);
    assert.equal(scopeMatcher(['**']).allows('deep/down/a.txt'), true);
  });

  it('normalises relative paths and refuses absolute ones, escapes, .git and .aura', () => {
    assert.equal(normaliseWorkspacePath('./src//a.ts'), 'src/a.ts');
    assert.equal(normaliseWorkspacePath('/workspace/src/a.ts'), 'src/a.ts');
    assert.equal(normaliseWorkspacePath('src\\win.ts'), 'src/win.ts');
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '.git/config', 'sub/.GIT/hooks/x', '.aura/result.json', '', '.', 'C:/x']) {
      assert.throws(() => normaliseWorkspacePath(bad), (e: Error & { code?: string }) => e.code === 'invalid_input', bad);
    }
  });
});

describe('hand-off files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-handoff-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes and reads back a file in .aura/, which any user may write', () => {
    writeHandoffFile(dir, 'assignment.json', '{"a":1}');
    assert.equal(readHandoffFile(dir, 'assignment.json', 100), '{"a":1}');
    assert.equal(fs.statSync(path.join(dir, '.aura')).mode & 0o777, 0o777);
    assert.equal(readHandoffFile(dir, 'missing.json', 100), null);
  });

  it('replaces a planted .aura link with a real folder before writing', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-outside-'));
    fs.symlinkSync(outside, path.join(dir, '.aura'));
    writeHandoffFile(dir, 'assignment.json', 'x');
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.ok(fs.lstatSync(path.join(dir, '.aura')).isDirectory());
    fs.rmSync(outside, { recursive: true });
  });

  it('refuses to read a result that is a link to a host file, a folder, or too large', () => {
    fs.mkdirSync(path.join(dir, '.aura'));
    fs.symlinkSync('/etc/hostname', path.join(dir, '.aura', 'result.json'));
    assert.throws(() => readHandoffFile(dir, 'result.json', 1000), /symbolic link/);
    fs.rmSync(path.join(dir, '.aura', 'result.json'));
    fs.mkdirSync(path.join(dir, '.aura', 'result.json'));
    assert.throws(() => readHandoffFile(dir, 'result.json', 1000), /not a regular file/);
    fs.rmdirSync(path.join(dir, '.aura', 'result.json'));
    fs.writeFileSync(path.join(dir, '.aura', 'result.json'), 'x'.repeat(2000));
    assert.throws(() => readHandoffFile(dir, 'result.json', 1000), /at most 1000/);
    fs.rmSync(path.join(dir, '.aura'), { recursive: true });
    fs.symlinkSync('/etc', path.join(dir, '.aura'));
    assert.throws(() => readHandoffFile(dir, 'hostname', 1000), /not a folder/);
  });
});
