// Start-to-exit time of the bundled CLI (`aura runs --json` against a running aura serve) beside `node -e 0`.
// Run: npm run build && npm run bench:cli   (BENCH_RUNS, default 30; BENCH_COMPARE: another build's dist/aura.js)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const AURA = path.resolve('dist', 'aura.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function timeMs(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main(): Promise<void> {
  if (!fs.existsSync(AURA)) throw new Error('dist/aura.js is missing: run npm run build first');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-bench-cli-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, AURA_HOME: home, AURA_LOG_LEVEL: 'info', AURA_API_PORT: String(await freePort()), AURA_MCP_PORT: String(await freePort()), AURA_UI_PORT: String(await freePort()) };
  const serve = spawn(process.execPath, [AURA, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const on = (d: Buffer) => ((out += d), out.includes('aura serve is up') && resolve());
    serve.stdout.on('data', on);
    serve.stderr.on('data', on);
    serve.on('exit', (code) => reject(new Error(`aura serve exited ${code}: ${out}`)));
  });
  try {
    const cases: Array<[string, string[]]> = [
      ['node -e 0 (baseline)', ['-e', '0']],
      ['aura --version', [AURA, '--version']],
      ['aura runs --json', [AURA, 'runs', '--json']],
      ['aura runs --json (1st run)', [AURA, 'runs', '--json']],
      // Another build's CLI against the same server, e.g. main's before a change (BENCH_COMPARE=/path/to/dist/aura.js).
      ...(process.env.BENCH_COMPARE ? [[`compare: runs --json`, [path.resolve(process.env.BENCH_COMPARE), 'runs', '--json']] as [string, string[]]] : []),
    ];
    // The first run of a build compiles the client bundle and writes its V8 code cache (mcp-server/cli/bundle-loader.ts):
    // each run of that case gets an empty cache folder of its own.
    const caches = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-bench-cli-cache-'));
    let fresh = 0;
    const envOf = (name: string) => (name.endsWith('(1st run)') ? { ...env, XDG_CACHE_HOME: path.join(caches, String(fresh++)) } : env);
    for (const [name, args] of cases) timeMs(args, envOf(name)); // warm the file cache (and write the code cache)
    // Interleaved, so a change in the machine's load falls on every case alike.
    const times = cases.map(() => [] as number[]);
    for (let i = 0; i < RUNS; i++) cases.forEach(([name, args], c) => times[c]!.push(timeMs(args, envOf(name))));
    const rows = cases.map(([name], c) => ({ name, median: pct(times[c]!, 50), p90: pct(times[c]!, 90) }));
    fs.rmSync(caches, { recursive: true, force: true });
    const base = rows[0]!.median;
    console.log(`CLI start-to-exit, ${RUNS} runs each, interleaved (${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    for (const r of rows) console.log(`  ${r.name.padEnd(28)} median ${r.median.toFixed(0).padStart(4)} ms  p90 ${r.p90.toFixed(0).padStart(4)} ms  ${(r.median / base).toFixed(1)}× baseline`);
    console.log(`  target: aura runs --json under 150 ms -> ${rows[2]!.median < 150 ? 'met' : 'NOT met'}`);
  } finally {
    process.kill(-serve.pid!, 'SIGTERM');
    fs.rmSync(home, { recursive: true, force: true });
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
