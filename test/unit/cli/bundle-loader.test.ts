// The command bundles' loader: a bundle loads as `require` would, its V8 code cache is written once and then used.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOADER = path.resolve(__dirname, '..', '..', '..', 'mcp-server', 'cli', 'bundle-loader.ts');

describe('the command bundle loader', function () {
  this.timeout(60_000);
  let dir: string;
  let cacheHome: string;
  let bundle: string;

  /** Loads the bundle in a fresh process and answers what it printed. */
  const load = () =>
    execFileSync(
      process.execPath,
      ['--require', 'tsx/cjs', '-e', `const m = require(${JSON.stringify(LOADER)}).requireBundle(${JSON.stringify(bundle)}); console.log(JSON.stringify({ answer: m.answer(), dir: m.dir, dep: m.dep }))`],
      { env: { ...process.env, XDG_CACHE_HOME: cacheHome }, encoding: 'utf8' },
    );
  const caches = () => (fs.existsSync(path.join(cacheHome, 'aura', 'v8')) ? fs.readdirSync(path.join(cacheHome, 'aura', 'v8')).sort() : []);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-bundle-'));
    cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-cache-'));
    bundle = path.join(dir, 'aura-sample-command.js');
    fs.writeFileSync(path.join(dir, 'dep.js'), 'module.exports = "beside";\n');
    fs.writeFileSync(bundle, '"use strict";\nexports.answer = () => 42;\nexports.dir = __dirname;\nexports.dep = require("./dep.js");\n');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheHome, { recursive: true, force: true });
  });

  it('loads a bundle as require does (exports, __dirname, require beside it) and writes its code cache once', () => {
    assert.deepEqual(JSON.parse(load()), { answer: 42, dir, dep: 'beside' });
    const first = caches();
    assert.equal(first.length, 1);
    assert.match(first[0]!, /^aura-sample-command-[0-9a-f]{16}\.bin$/);
    assert.ok(fs.statSync(path.join(cacheHome, 'aura', 'v8', first[0]!)).size > 0);
    assert.equal(fs.statSync(path.join(cacheHome, 'aura', 'v8')).mode & 0o777, 0o700);
    const written = fs.statSync(path.join(cacheHome, 'aura', 'v8', first[0]!)).mtimeMs;
    assert.deepEqual(JSON.parse(load()), { answer: 42, dir, dep: 'beside' });
    assert.deepEqual(caches(), first);
    assert.equal(fs.statSync(path.join(cacheHome, 'aura', 'v8', first[0]!)).mtimeMs, written, 'a valid cache is read, not written again');
  });

  it('compiles a rebuilt bundle afresh, even one of the same length, and keeps only its new cache', () => {
    load();
    const before = caches();
    fs.writeFileSync(bundle, '"use strict";\nexports.answer = () => 43;\nexports.dir = __dirname;\nexports.dep = require("./dep.js");\n');
    assert.equal(JSON.parse(load()).answer, 43);
    const after = caches();
    assert.equal(after.length, 1);
    assert.notDeepEqual(after, before);
  });

  it('still loads when the cache cannot be written', () => {
    fs.writeFileSync(path.join(cacheHome, 'aura'), 'a file where the cache folder would be');
    assert.deepEqual(JSON.parse(load()), { answer: 42, dir, dep: 'beside' });
  });
});
