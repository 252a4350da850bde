// Start-to-exit time of the bundled CLI (`aura runs --json` against a running aura serve) beside `node -e 0`.
// Run: npm run build && npm run bench:cli   (BENCH_RUNS, default 30)
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
    ];
    for (const [, args] of cases) timeMs(args, env); // warm the file cache
    const rows = cases.map(([name, args]) => {
      const xs = Array.from({ length: RUNS }, () => timeMs(args, env));
      return { name, median: pct(xs, 50), p90: pct(xs, 90) };
    });
    const base = rows[0]!.median;
    console.log(`CLI start-to-exit, ${RUNS} runs each (${os.cpus().length} cores, node ${process.version})`);
    for (const r of rows) console.log(`  ${r.name.padEnd(24)} median ${r.median.toFixed(0).padStart(4)} ms  p90 ${r.p90.toFixed(0).padStart(4)} ms  ${(r.median / base).toFixed(1)}× baseline`);
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
