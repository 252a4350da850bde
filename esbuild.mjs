// Bundles each entry point into dist/ and copies the SQL migrations beside them.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
cpSync('migrations', 'dist/migrations', { recursive: true });

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
];

await Promise.all(
  entryPoints.map((e) =>
    build({ ...common, entryPoints: [e.in], outfile: `dist/${e.out}.js`, banner: e.banner ? { js: e.banner } : undefined, external: [...common.external, ...(e.external ?? [])] }),
  ),
);
if (!watch) console.log(`built ${entryPoints.map((e) => `dist/${e.out}.js`).join(', ')}`);
