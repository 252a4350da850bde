// Loads a command module's bundle (dist/aura-<module>.js) through V8's code cache, so a start does not compile it again.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * The per-user cache (mode 0700: only this user writes what this user's `aura` runs). Node 20 has no
 * `module.enableCompileCache` (Node 22): this is the same idea with vm.Script's cachedData. V8 refuses a cache made by
 * another V8 or for a source of another length, but not one for other source of the same length: so the key is the
 * file itself (inode, ctime, which no copy or rewrite keeps, mtime, size) and the Node version. A refused or missing
 * cache is made anew.
 */
function cacheFileOf(file: string, stat: fs.Stats): string {
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'aura', 'v8');
  const key = createHash('sha256').update(`${file}\0${stat.ino}\0${stat.ctimeMs}\0${stat.mtimeMs}\0${stat.size}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 16);
  return path.join(dir, `${path.basename(file, '.js')}-${key}.bin`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

const toWrite = new Map<string, vm.Script>();
const loaded = new Map<string, unknown>();

/** Writes the caches at exit, when they hold the functions this run compiled too; a failure costs only the next start. */
function writeCacheAtExit(script: vm.Script, file: string): void {
  if (toWrite.size === 0) process.once('exit', () => toWrite.forEach(writeCache));
  toWrite.set(file, script);
}

function writeCache(script: vm.Script, file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(partial, file);
    // The caches of this bundle's earlier builds are of no further use.
    const base = path.basename(file).slice(0, -'-0123456789abcdef.bin'.length);
    for (const name of fs.readdirSync(path.dirname(file))) {
      if (name !== path.basename(file) && name.slice(0, -'-0123456789abcdef.bin'.length) === base && /-[0-9a-f]{16}\.bin$/.test(name)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
    }
  } catch {
    // a read-only or full home: the next start compiles again
  }
}

/** `require(file)` of a CommonJS bundle (once per process), compiled from the code cache when there is a valid one. */
export function requireBundle(file: string): unknown {
  if (loaded.has(file)) return loaded.get(file);
  let source: string;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return require(file); // let require report what is missing
  }
  const cacheFile = cacheFileOf(file, stat);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) writeCacheAtExit(script, cacheFile);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  loaded.set(file, mod.exports);
  return mod.exports;
}
