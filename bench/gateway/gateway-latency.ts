// Model gateway latency: a call through the gateway beside the same call straight to the stand-in, streamed and not.
// Run: npm run bench:gateway   (BENCH_ROUNDS, default 2000; BENCH_PAUSE_MS between calls, default 0;
//      BENCH_DATABASE_URL for PostgreSQL, else embedded PGlite)
// The stand-in (Anthropic Messages) runs in its own process, as a provider would; the client and the gateway share this
// one. Prints p50/p99 of the time to the answer's last byte per variant and the gateway's added p50 and p99.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { startGatewayListener } from '../../adapters/gateway/gateway-listener';
import { createGatewayService } from '../../core/gateway/gateway-service';
import type { GatewayGrant } from '../../core/gateway/model-gateway';
import { createBudgetCaps } from '../../core/governance/budget/budget-caps';
import { createCostLedger } from '../../core/governance/budget/cost-ledger';
import { createPolicyStore } from '../../core/governance/policy/policy-store';
import { planTaskSchema } from '../../core/manager/plan-schema';
import type { RecordingMode } from '../../core/replay/call-recorder';
import { createEmployeeRegistry } from '../../core/workforce/employee-registry';
import { benchCore } from '../mcp/bench-setup';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const WARMUP = 200;
/** A pause before each call, as an agent thinks between calls (0: back to back, the gateway's writes compete with the next call). */
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 0);
const KEY_ENV = 'BENCH_GATEWAY_KEY';
const KEY = 'sk-ant-bench-key';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

async function startStandInProcess(): Promise<{ url: string; child: ChildProcess }> {
  const script = path.join(__dirname, '..', '..', 'test', 'support', 'stand-ins', 'serve-stand-in.ts');
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', script, '--protocol', 'anthropic', '--key-env', KEY_ENV, '--fallback-text', 'The file is written and the tests pass.'], { env: { PATH: process.env.PATH, [KEY_ENV]: KEY }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the stand-in exited with ${code}`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, child };
}

/** One call to the end of its answer over a kept-alive connection, as an agent's SDK makes it. */
function call(agent: http.Agent, base: string, key: string, stream: boolean): Promise<number> {
  const body = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 1024, stream, messages: [{ role: 'user', content: 'Write hello.txt and run the tests.' }] });
  return new Promise((resolve, reject) => {
    const started = now();
    const target = new URL(`${base}/v1/messages`);
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': key, 'anthropic-version': '2023-06-01' } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => (res.statusCode === 200 ? resolve(now() - started) : reject(new Error(`HTTP ${res.statusCode} from ${base}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const core = await benchCore();
  const { store, events, clock, logger } = core;
  const policies = createPolicyStore({ store, events, clock, logger });
  await policies.ensureShipped();
  const governance = { ledger: createCostLedger({ clock }), caps: createBudgetCaps({ store, events, clock }), policies };
  const standIn = await startStandInProcess();
  const employees = createEmployeeRegistry({ store, events });
  const employee = await employees.hire({ name: `bench-agent-${Date.now()}`, provider: 'cli', model: 'claude-sonnet-4-5', command: ['agent'], baseUrl: standIn.url, apiKeyRef: `env:${KEY_ENV}`, costTable: { inputPerMTok: 3, outputPerMTok: 15 } }, 'director:bench');
  const task = planTaskSchema.parse({ id: 'bench', title: 'Bench', kind: 'code' });

  const gateways: Array<{ mode: RecordingMode; grant: GatewayGrant; close(): Promise<void> }> = [];
  for (const mode of ['record', 'off'] as const) {
    const service = createGatewayService({ store, events, clock, logger, ...governance, recording: mode, secrets: { env: { [KEY_ENV]: KEY } } });
    const listener = await startGatewayListener({ service, host: '127.0.0.1', port: 0, logger });
    const grant = await service.grant({ runId: `run_bench_${mode}_${employee.id}`, taskId: 'bench', attempt: 1, idempotencyKey: `run_bench_${mode}_${employee.id}_bench_1`, task, employee, context: { runTitle: 'Bench', dependencies: [] }, deadline: Date.now() + 3_600_000 });
    gateways.push({ mode, grant, close: async () => (await grant.revoke(), await service.close(), await listener.close()) });
  }

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const variants: Array<{ name: string; run: () => Promise<number> }> = [];
  for (const stream of [false, true]) {
    const kind = stream ? 'streamed' : 'JSON';
    variants.push({ name: `direct to the stand-in, ${kind}`, run: () => call(agent, standIn.url, KEY, stream) });
    for (const g of gateways) variants.push({ name: `gateway (recording ${g.mode}), ${kind}`, run: () => call(agent, g.grant.baseUrls.anthropic, g.grant.token, stream) });
  }
  for (let i = 0; i < WARMUP; i++) for (const v of variants) await v.run();
  const samples = new Map(variants.map((v) => [v.name, [] as number[]]));
  for (let i = 0; i < ROUNDS; i++) {
    // Interleaved, so drift on a shared machine hits every variant alike.
    for (const v of variants) {
      if (PAUSE_MS > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      samples.get(v.name)!.push(await v.run());
    }
  }
  // The gateway's own work per call, without sockets: the core's handle() with a transport that answers at once.
  const inProcess = createGatewayService({ store, events, clock, logger, ...governance, recording: 'off', secrets: { env: { [KEY_ENV]: KEY } } });
  inProcess.listening('http://127.0.0.1:1');
  const own = await inProcess.grant({ runId: `run_bench_own_${employee.id}`, taskId: 'bench', attempt: 1, idempotencyKey: `run_bench_own_${employee.id}_bench_1`, task, employee, context: { runTitle: 'Bench', dependencies: [] }, deadline: Date.now() + 3_600_000 });
  const answer = Buffer.from(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 10, output_tokens: 2 } }));
  const request = Buffer.from(JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Write hello.txt and run the tests.' }] }));
  const transport = { forward: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: answer }), send: () => undefined };
  const ownSamples: number[] = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const started = now();
    await inProcess.handle({ protocol: 'anthropic', method: 'POST', path: '/v1/messages', query: new URLSearchParams(), headers: { 'x-api-key': own.token, 'content-type': 'application/json' }, body: request }, transport);
    if (i >= WARMUP) ownSamples.push(now() - started);
  }
  await own.revoke();
  await inProcess.close();
  const usage = gateways.map((g) => `${g.mode}: ${g.grant.usage().calls} calls metered`).join(', ');
  for (const g of gateways) await g.close();
  standIn.child.kill('SIGTERM');

  console.log(`${ROUNDS} rounds after ${WARMUP} warm-up, ${PAUSE_MS} ms between calls, database ${store.kind}, Node ${process.version}; ${usage}`);
  console.log('variant                                   p50 ms   p99 ms   added p50 / p99 ms');
  for (const stream of [false, true]) {
    const kind = stream ? 'streamed' : 'JSON';
    const base = samples.get(`direct to the stand-in, ${kind}`)!;
    for (const v of variants.filter((x) => x.name.endsWith(kind))) {
      const list = samples.get(v.name)!;
      const added = v.name.startsWith('direct') ? '' : `${(percentile(list, 50) - percentile(base, 50)).toFixed(3)} / ${(percentile(list, 99) - percentile(base, 99)).toFixed(3)}`;
      console.log(`${v.name.padEnd(41)} ${percentile(list, 50).toFixed(3).padStart(6)}   ${percentile(list, 99).toFixed(3).padStart(6)}   ${added}`);
    }
  }
  console.log(`gateway's own work per call (handle() without sockets): p50 ${percentile(ownSamples, 50).toFixed(3)} ms, p99 ${percentile(ownSamples, 99).toFixed(3)} ms`);
  await store.close();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
