// Keeps the dependency direction: core/ imports no shell, no adapter, no SDK of a provider or an engine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const forbidden = [/^vscode$/, /^@modelcontextprotocol\//, /^dockerode$/, /^openai(\/|$)/, /^ollama(\/|$)/, /^@google\//, /^hono(\/|$)/, /^@hono\//, /^pg$/, /^@electric-sql\//];
const shells = ['mcp-server', 'extension', 'webview-ui', 'adapters'];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name)) yield full;
  }
}

function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

export function coreViolations(coreDir: string): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles(coreDir)) {
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      const relative = path.relative(coreDir, file);
      if (forbidden.some((re) => re.test(spec))) violations.push(`${relative} imports ${spec}`);
      if (spec.startsWith('.')) {
        const target = path.relative(path.dirname(coreDir), path.resolve(path.dirname(file), spec));
        if (shells.some((s) => target === s || target.startsWith(s + path.sep))) violations.push(`${relative} imports ${spec} (outside core)`);
      }
    }
  }
  return violations;
}

describe('core dependency direction', () => {
  it('core/ imports no vscode, MCP SDK, provider SDK, dockerode, database driver or shell module', () => {
    assert.deepEqual(coreViolations(path.join(root, 'core')), []);
  });

  it('the check itself catches a forbidden import', () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'aura-core-'));
    const core = path.join(dir, 'core');
    fs.mkdirSync(core);
    fs.writeFileSync(path.join(core, 'a.ts'), "import Docker from 'dockerode';\nimport { x } from '../mcp-server/y';\n");
    assert.deepEqual(coreViolations(core), ['a.ts imports dockerode', 'a.ts imports ../mcp-server/y (outside core)']);
  });
});
