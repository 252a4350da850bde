// Container latency: our runtime (cold: new container; warm: exec in a ready session) beside `docker run --rm` of the same image.
// Run: npm run bench:containers   (needs DOCKER_HOST and the worker image: `aura images build`)
// Prints p50/p99 of time to the first byte of output and to the end (container removed), and the ratios to the CLI.
import { spawn } from 'node:child_process';
import { createDockerRuntime } from '../../adapters/containers/docker-runtime';
import { buildWorkerImage, defaultWorkerImage } from '../../adapters/containers/worker-image-build';
import type { ContainerSpec } from '../../core/containers/container-runtime';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const image = process.env.AURA_WORKER_IMAGE ?? defaultWorkerImage;
const command = ['echo', 'ready'];

interface Sample {
  firstByteMs: number;
  totalMs: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `docker run --rm` with the same isolation flags, from the CLI. */
function dockerCli(): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = now();
    let firstByte = 0;
    const child = spawn('docker', ['run', '--rm', '--network', 'none', '--user', '65534:65534', '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL',
      '--security-opt', 'no-new-privileges', '--memory', '128m', '--pids-limit', '64', image, ...command], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => (firstByte = now()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ firstByteMs: firstByte - started, totalMs: now() - started }) : reject(new Error(`docker run exited ${code}`))));
  });
}

async function main() {
  const runtime = createDockerRuntime({ dockerHost: process.env.DOCKER_HOST });
  const ping = await runtime.ping();
  if (!ping.ok) throw new Error(ping.detail);
  await buildWorkerImage(runtime.engine, { image });
  const spec: Omit<ContainerSpec, 'command'> = { image, network: 'none', memoryMb: 128, cpus: 1, pids: 64, timeoutMs: 30_000, labels: { 'aura.task': 'bench' } };

  const cold = async (): Promise<Sample> => {
    const started = now();
    let firstByte = 0;
    const h = await runtime.run({ ...spec, command, onOutput: () => (firstByte ||= now()) });
    await h.result;
    return { firstByteMs: firstByte - started, totalMs: now() - started };
  };
  const session = await runtime.start({ ...spec, timeoutMs: 600_000 });
  const warm = async (): Promise<Sample> => {
    const started = now();
    let firstByte = 0;
    await session.exec(command, { onOutput: () => (firstByte ||= now()) });
    return { firstByteMs: firstByte - started, totalMs: now() - started };
  };

  const samples: Record<string, Sample[]> = { 'docker run --rm (CLI)': [], 'runtime.run (cold)': [], 'session.exec (warm)': [] };
  await dockerCli(); // first use warms the engine's caches for everyone
  for (let i = 0; i < ROUNDS; i++) {
    // Interleaved, so drift on a shared machine hits every variant alike.
    samples['docker run --rm (CLI)']!.push(await dockerCli());
    samples['runtime.run (cold)']!.push(await cold());
    samples['session.exec (warm)']!.push(await warm());
  }
  await session.remove();

  const base = samples['docker run --rm (CLI)']!;
  const baseFirst = percentile(base.map((s) => s.firstByteMs), 50);
  const baseTotal = percentile(base.map((s) => s.totalMs), 50);
  console.log(`${ROUNDS} rounds, image ${image}, ${ping.detail}`);
  console.log('variant                  first byte p50/p99 ms   end p50/p99 ms   p50 vs CLI (first byte, end)');
  for (const [name, list] of Object.entries(samples)) {
    const f50 = percentile(list.map((s) => s.firstByteMs), 50);
    const f99 = percentile(list.map((s) => s.firstByteMs), 99);
    const t50 = percentile(list.map((s) => s.totalMs), 50);
    const t99 = percentile(list.map((s) => s.totalMs), 99);
    console.log(`${name.padEnd(24)} ${`${f50.toFixed(0)} / ${f99.toFixed(0)}`.padEnd(23)} ${`${t50.toFixed(0)} / ${t99.toFixed(0)}`.padEnd(16)} ${(f50 / baseFirst).toFixed(2)}x, ${(t50 / baseTotal).toFixed(2)}x`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
