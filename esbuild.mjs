// Bundles each entry point into dist/ and copies the SQL migrations and the shipped templates beside them.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

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
  logLevel: 'warning',
  // PGlite loads its WebAssembly and data files from beside its own module: keep it in node_modules.
  external: ['@electric-sql/pglite', 'cpu-features', 'ssh2', 'pino', 'thread-stream', 'pino-pretty'],
};

export const entryPoints = [
  { in: 'mcp-server/cli/main.ts', out: 'aura', banner: '#!/usr/bin/env node' },
  // The VS Code extension: `vscode` is provided by the extension host.
  { in: 'extension/extension.ts', out: 'extension', external: ['vscode'] },
];

// The dashboard bundle: one script and one stylesheet, for VS Code webviews and for browsers.
export const browserEntryPoints = [{ in: 'webview-ui/app/main.ts', out: 'webview/dashboard' }];

await Promise.all(
  entryPoints.map((e) =>
    build({ ...common, entryPoints: [e.in], outfile: `dist/${e.out}.js`, banner: e.banner ? { js: e.banner } : undefined, external: [...common.external, ...(e.external ?? [])] }),
  ),
);
await Promise.all(
  browserEntryPoints.map((e) =>
    build({ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, minify: true, logLevel: 'warning', entryPoints: [e.in], outfile: `dist/${e.out}.js` }),
  ),
);
if (!watch) console.log(`built ${entryPoints.map((e) => `dist/${e.out}.js`).join(', ')}`);
