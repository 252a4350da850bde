// dockerode is imported in one folder only: adapters/containers (everything else goes through the ContainerRuntime port).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const scanned = ['core', 'adapters', 'mcp-server', 'extension', 'webview-ui', 'test', 'bench'];

function* sourceFiles(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* sourceFiles(full);
    else if (entry.isFile() && /\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name)) yield full;
  }
}

/** A statement that imports it (at the start of a line, so a string that merely mentions one does not count). */
const importsDockerode = (source: string) =>
  /^\s*(import\b[^'"\n]*\bfrom\s+|import\s+|export\b[^'"\n]*\bfrom\s+|(const|let|var)\s+[^=\n]+=\s*(require|await\s+import)\s*\(\s*)['"]dockerode['"]/m.test(source);

describe('dockerode importers', () => {
  it('are all under adapters/containers', () => {
    const importers = scanned
      .flatMap((d) => [...sourceFiles(path.join(root, d))])
      .filter((file) => importsDockerode(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    assert.ok(importers.length > 0, 'found no importer at all: the scan is broken');
    assert.deepEqual(importers.filter((f) => !f.startsWith(`adapters${path.sep}containers${path.sep}`)), []);
  });

  it('the check itself catches an import elsewhere', () => {
    assert.equal(importsDockerode("import Docker from 'dockerode';"), true);
    assert.equal(importsDockerode("const D = require('dockerode')"), true);
    assert.equal(importsDockerode("import type Docker from 'dockerode';"), true);
    assert.equal(importsDockerode("// talks to dockerode through the port"), false);
    assert.equal(importsDockerode("  assert.ok(check(\"import D from 'dockerode'\"));"), false);
  });
});
