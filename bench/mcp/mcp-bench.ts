// MCP latency and steadiness: get_run beside a no-op tool (the transport's own floor) on the same server, over stdio and
// Streamable HTTP in one run; then 100k calls per transport while heap/RSS, listeners, sessions and handles are sampled.
// Run: npm run bench:mcp   (BENCH_ROUNDS latency samples per tool, default 2000; BENCH_CALLS, default 100000)
import path from 'node:path';
import fs from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTokenStore } from '../../mcp-server/auth/token-store';
import { startMcpHttp } from '../../mcp-server/mcp/http/start-mcp-http';
import { benchCore, finishedRun, instantWorkers, noopTool, now, percentile } from './bench-setup';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const SAMPLE_EVERY = Math.max(1, Math.floor(CALLS / 10));
const gc = (globalThis as { gc?: () => void }).gc;

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<void> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
}

/** Interleaved samples of the no-op and of get_run, after a warm-up. */
async function latency(client: Client, runId: string): Promise<Record<'noop' | 'get_run', number[]>> {
  for (let i = 0; i < 200; i++) {
    await call(client, 'noop', {});
    await call(client, 'get_run', { runId });
  }
  const out = { noop: [] as number[], get_run: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    // The HTTP client's fetches leave an abort listener on its transport's signal until GC finalises them (undici);
    // collecting now and then, outside the timed calls, keeps Node from warning about a leak that is not one.
    if (i % 500 === 0) gc?.();
    let t = now();
    await call(client, 'noop', {});
    out.noop.push(now() - t);
    t = now();
    await call(client, 'get_run', { runId });
    out.get_run.push(now() - t);
  }
  return out;
}

interface Sample {
  calls: number;
  memoryMb: number;
  listeners?: number;
  sessions?: number;
  handles?: number;
}

/** 9 no-ops and one get_run in every 10 calls, sampling `measure` every tenth of the way. */
async function soak(client: Client, runId: string, measure: () => Omit<Sample, 'calls'>): Promise<Sample[]> {
  const samples: Sample[] = [{ calls: 0, ...measure() }];
  for (let i = 1; i <= CALLS; i++) {
    if (i % 1000 === 0) gc?.();
    if (i % 10 === 0) await call(client, 'get_run', { runId });
    else await call(client, 'noop', {});
    if (i % SAMPLE_EVERY === 0) samples.push({ calls: i, ...measure() });
  }
  return samples;
}

function rssMbOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

const fmt = (n: number) => n.toFixed(2);

function report(title: string, samples: Record<'noop' | 'get_run', number[]>) {
  const p = (xs: number[], q: number) => percentile(xs, q);
  console.log(`\n${title} (${ROUNDS} calls each, interleaved)`);
  console.log('| tool | p50 (ms) | p99 (ms) | p50 / no-op |');
  console.log('| --- | --- | --- | --- |');
  for (const name of ['noop', 'get_run'] as const) {
    console.log(`| ${name} | ${fmt(p(samples[name], 50))} | ${fmt(p(samples[name], 99))} | ${fmt(p(samples[name], 50) / p(samples.noop, 50))}x |`);
  }
}

function reportSoak(title: string, samples: Sample[]) {
  console.log(`\n${title}`);
  console.log('| calls | memory (MB) | NOTIFY listeners | open sessions | active handles |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const s of samples) console.log(`| ${s.calls} | ${fmt(s.memoryMb)} | ${s.listeners ?? '—'} | ${s.sessions ?? '—'} | ${s.handles ?? '—'} |`);
  const afterWarmup = samples[1] ?? samples[0]!;
  console.log(`growth from ${afterWarmup.calls} to ${samples.at(-1)!.calls} calls: ${fmt(samples.at(-1)!.memoryMb - afterWarmup.memoryMb)} MB`);
}

async function main() {
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:mcp does)');
  // HTTP: the server in this process, so its heap and listeners can be read directly.
  const core = await benchCore();
  const server = await startMcpHttp({ core, config: core.config, logger: core.logger, port: 0, compose: { inProcess: instantWorkers, scheduler: { pollMs: 50 } }, extraTools: [noopTool] });
  const runId = await finishedRun(server.runtime.services.orchestrator!);
  const { secret } = await createTokenStore(core).create({ role: 'director', name: 'bench' }, 'director:bench');
  const http = new Client({ name: 'bench', version: '1' });
  await http.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${secret}` } } }));

  // stdio: the same server code in a child process, as `aura mcp` runs it.
  const stdioTransport = new StdioClientTransport({
    command: process.execPath,
    args: ['--require', 'tsx/cjs', path.join(__dirname, 'bench-stdio-server.ts')],
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...(process.env.BENCH_DATABASE_URL ? { BENCH_DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}) },
    cwd: path.join(__dirname, '..', '..'),
    stderr: 'inherit',
  });
  const stdio = new Client({ name: 'bench', version: '1' });
  // The child finishes its own 20-task run before it answers initialize: give it time on a loaded machine.
  await stdio.connect(stdioTransport, { timeout: 600_000 });
  const stdioRun = ((await stdio.callTool({ name: 'list_runs', arguments: { limit: 1 } })).structuredContent as { runs: Array<{ id: string }> }).runs[0]!.id;

  console.log(`MCP bench: Node ${process.version}, ${core.store.kind}, a finished 20-task run`);
  report('Streamable HTTP', await latency(http, runId));
  report('stdio', await latency(stdio, stdioRun));

  const notifier = server.runtime.services.notifier;
  const measure = () => {
    gc!();
    return {
      memoryMb: process.memoryUsage().heapUsed / 2 ** 20,
      listeners: notifier.listenerCount(),
      sessions: server.http.sessions.count(),
      handles: (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length,
    };
  };
  reportSoak(`Streamable HTTP, ${CALLS} calls: server heap after GC (this process)`, await soak(http, runId, measure));

  // Sessions that subscribe and go away must leave nothing behind.
  const before = measure();
  for (let i = 0; i < 500; i++) {
    const c = new Client({ name: 'churn', version: '1' });
    const t = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${secret}` } } });
    await c.connect(t);
    await c.subscribeResource({ uri: `aura://runs/${runId}` });
    await t.terminateSession();
    await c.close();
  }
  const after = measure();
  console.log(`\n500 sessions opened, subscribed and closed: sessions ${before.sessions} → ${after.sessions}, NOTIFY listeners ${before.listeners} → ${after.listeners}, heap ${fmt(before.memoryMb)} → ${fmt(after.memoryMb)} MB`);

  const pid = stdioTransport.pid!;
  reportSoak(`stdio, ${CALLS} calls: server process RSS`, await soak(stdio, stdioRun, () => ({ memoryMb: rssMbOf(pid) })));

  await stdio.close();
  await http.close();
  await server.close();
  await core.store.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
