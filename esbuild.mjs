// Bundles each entry point into dist/ and copies the SQL migrations and the shipped templates beside them.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
cpSync('migrations', 'dist/migrations', { recursive: true });
cpSync('templates', 'dist/templates', { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Smaller bundles compile faster at every start; names are kept, since error classes and stacks are read by name.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  // PGlite loads its WebAssembly and data files from beside its own module: keep it in node_modules.
  external: ['@electric-sql/pglite', 'cpu-features', 'ssh2', 'pino', 'thread-stream', 'pino-pretty'],
};

// `aura` is a small bundle (commander and the command table of mcp-server/cli/main.ts) plus two bundles of command
// modules, which main.ts `require`s only when one of their commands runs: dist/aura-client.js holds the Director's
// client commands (an MCP client: `aura runs` reads and compiles 1 MB, not the 7.5 MB of `aura serve`), and
// dist/aura-server.js every other module (a new module lands there unless it is listed as a client one). Each is
// whole (its own copy of zod, commander's error classes, core/domain/errors): nothing crosses between bundles but the
// Command a module registers on. Inside a bundle each module is still initialised only when it is asked for.
const commandModules = [...readFileSync('mcp-server/cli/main.ts', 'utf8').matchAll(/require\('\.\/([a-z-]+)'\)/g)].map((m) => m[1]);
const clientModules = ['run-commands', 'watch-run', 'task-commands', 'employee-commands', 'events-command', 'integrations-command'];
const groupOf = (m) => (clientModules.includes(m) ? 'client' : 'server');
const groups = ['client', 'server'].map((g) => ({ name: g, modules: commandModules.filter((m) => groupOf(m) === g) }));

/**
 * In the main bundle, a command module's `require` loads its group's bundle beside it, through V8's code cache
 * (mcp-server/cli/bundle-loader.ts), and initialises the module inside it.
 */
const commandModulesApart = {
  name: 'command-modules-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+$/ }, (args) =>
      args.importer.endsWith(`mcp-server${path.sep}cli${path.sep}main.ts`) && commandModules.includes(args.path.slice(2)) ? { path: args.path.slice(2), namespace: 'aura-command-bundle' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'aura-command-bundle' }, (args) => ({
      contents: `module.exports = require('./bundle-loader').requireBundle(require('node:path').join(__dirname, 'aura-${groupOf(args.path)}.js'))[${JSON.stringify(args.path)}]();`,
      resolveDir: path.resolve('mcp-server/cli'),
      loader: 'js',
    }));
  },
};
/** A group's bundle: one function per module, which initialises and answers it. */
const groupEntry = (group) => ({
  contents: group.modules.map((m) => `exports[${JSON.stringify(m)}] = () => require('./${m}');`).join('\n'),
  resolveDir: path.resolve('mcp-server/cli'),
  sourcefile: `aura-${group.name}-entry.js`,
  loader: 'js',
});

export const entryPoints = [
  { in: 'mcp-server/cli/main.ts', out: 'aura', banner: '#!/usr/bin/env node', plugins: [commandModulesApart] },
  ...groups.map((g) => ({ stdin: groupEntry(g), out: `aura-${g.name}` })),
  // The VS Code extension: `vscode` is provided by the extension host.
  { in: 'extension/extension.ts', out: 'extension', external: ['vscode'] },
];

// The dashboard bundle: one script and one stylesheet, for VS Code webviews and for browsers.
export const browserEntryPoints = [{ in: 'webview-ui/app/main.ts', out: 'webview/dashboard' }];

await Promise.all(
  entryPoints.map((e) =>
    build({ ...common, ...(e.stdin ? { stdin: e.stdin } : { entryPoints: [e.in] }), outfile: `dist/${e.out}.js`, banner: e.banner ? { js: e.banner } : undefined, external: [...common.external, ...(e.external ?? [])], plugins: e.plugins ?? [] }),
  ),
);
await Promise.all(
  browserEntryPoints.map((e) =>
    build({ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, minify: true, logLevel: 'warning', entryPoints: [e.in], outfile: `dist/${e.out}.js` }),
  ),
);
if (!watch) console.log(`built dist/aura.js (+ ${groups.map((g) => `dist/aura-${g.name}.js`).join(', ')}), dist/extension.js`);
