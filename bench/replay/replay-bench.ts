// Time travel and replay, on PostgreSQL and PGlite:
//  1. projection: a run of about 100k events, projected to its last and a middle event (get_run_state) and its chain
//     verified, beside reading the same rows with nothing done to them (the baseline of the same run);
//  2. replay: a 200-task run whose employees call a model through the real OpenAI SDK (to a local stand-in) and run
//     a recorded tool call, then its replay from the record with the stand-in stopped, beside the original's time.
// Run: npm run bench:replay   (needs PostgreSQL at AURA_BENCH_DATABASE_URL or 127.0.0.1:5432)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { openPgStore } from '../../adapters/store-pg/pg-store';
import { openPgliteStore } from '../../adapters/store-pglite/pglite-store';
import type { NewEvent } from '../../core/events/event-log';
import { eventColumns } from '../../core/events/stored-event';
import { verifyChain } from '../../core/events/verify-chain';
import { createCallRecorder } from '../../core/replay/call-recorder';
import { getRunStateAt } from '../../core/runs/run-state-at';
import { findMigrationsDir, loadMigrations, migrate } from '../../core/store/migrations';
import type { Store } from '../../core/store/store';
import { recordedTool } from '../../core/workforce/workers/attempt-container';
import type { Assignment, WorkResult } from '../../core/workforce/worker';
import { startManager, waitFor, waitForRun } from '../../test/integration/manager/manager-harness';
import { harnesses, providerFor, TEST_KEY } from '../../test/integration/models/harness';
import { testCore } from '../../test/support/in-process-workers';
import { startOpenAIStandIn } from '../../test/support/stand-ins/openai-stand-in';

const ADMIN_URL = process.env.AURA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TASKS = Number(process.env.BENCH_PROJECTION_TASKS ?? 24_000);
const REPLAY_TASKS = Number(process.env.BENCH_REPLAY_TASKS ?? 200);

const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;

/** A finished run's stream as the Manager writes it: each task queued, ready, assigned, succeeded; every 24th fails once first. */
async function writeLongRun(store: Store, runId: string): Promise<{ events: number; appendSec: number }> {
  const core = testCore(store);
  const tasks = Array.from({ length: TASKS }, (_, i) => ({ id: `task_b${i.toString(36)}`, key: `t${i}`, title: `Task ${i}`, kind: 'code', dependsOn: i % 100 ? [`t${i - 1}`] : [] }));
  const plan = { title: 'Long run', tasks: tasks.map((t) => ({ id: t.key, title: t.title, kind: t.kind, dependsOn: t.dependsOn })) };
  const at = { runId, actor: 'manager' };
  const events: NewEvent[] = [
    { type: 'RunStarted', ...at, payload: { title: 'Long run', prdHash: 'h', budgetUsd: null, policySet: null, workspace: null } },
    { type: 'PlanGenerated', ...at, payload: { planHash: 'p', planner: 'structural', taskCount: TASKS, version: 1, plan } },
  ];
  for (const t of tasks) events.push({ type: 'TaskQueued', ...at, taskId: t.id, payload: { key: t.key, title: t.title, kind: t.kind, dependsOn: t.dependsOn, status: t.dependsOn.length ? 'pending' : 'ready' } });
  tasks.forEach((t, i) => {
    const task = { ...at, taskId: t.id };
    const assigned = (attempt: number): NewEvent => ({ type: 'TaskAssigned', ...task, payload: { employeeId: 'emp_b', attempt, idempotencyKey: `${runId}_${t.id}_${attempt}`, owner: 'bench', leaseUntil: new Date().toISOString(), resumed: false } });
    if (t.dependsOn.length) events.push({ type: 'TaskReady', ...task, payload: {} });
    events.push(assigned(1));
    let attempt = 1;
    if (i % 24 === 5) {
      events.push({ type: 'TaskFailed', ...task, payload: { employeeId: 'emp_b', attempt: 1, reason: 'first try fails', retryable: true, costUsd: 0.001 } });
      events.push({ type: 'TaskRetrying', ...task, payload: { attempt: 1, nextAttempt: 2, delayMs: 10, notBefore: new Date().toISOString() } });
      events.push(assigned(2));
      attempt = 2;
    }
    events.push({ type: 'TaskSucceeded', ...task, payload: { employeeId: 'emp_b', attempt, summary: `did ${t.key}`, costUsd: 0.002 } });
  });
  events.push({ type: 'RunCompleted', ...at, payload: { outcome: 'succeeded', costUsd: 0, succeeded: TASKS, skipped: 0, deadLettered: 0 } });
  const start = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += 2_000) {
    const batch = events.slice(i, i + 2_000);
    await store.transaction((tx) => core.events.appendIn(tx, batch));
  }
  return { events: events.length, appendSec: seconds(start) };
}

async function projection(name: string, store: Store): Promise<string[]> {
  const runId = 'run_benchlong';
  const { events, appendSec } = await writeLongRun(store, runId);
  const signer = testCore(store).signer;
  // Baselines: the stream's rows read whole, and only the columns the projection reads, page by page as it does,
  // nothing done with them.
  let start = process.hrtime.bigint();
  for (let after = 0; ; ) {
    const rows = (await store.query<{ seq: number }>(`SELECT ${eventColumns} FROM aura.events WHERE stream = $1 AND seq > $2 ORDER BY stream, seq LIMIT 20000`, [runId, after])).rows;
    if (!rows.length) break;
    after = Number(rows.at(-1)!.seq);
  }
  const wholeSec = seconds(start);
  start = process.hrtime.bigint();
  for (let after = 0; ; ) {
    const rows = (await store.query<{ seq: number }>(`SELECT seq, type, task_id, actor, payload, occurred_at FROM aura.events WHERE stream = $1 AND seq > $2 ORDER BY stream, seq LIMIT 20000`, [runId, after])).rows;
    if (!rows.length) break;
    after = Number(rows.at(-1)!.seq);
  }
  const readSec = seconds(start);
  start = process.hrtime.bigint();
  const last = await getRunStateAt(store, { runId });
  const lastSec = seconds(start);
  const middle = Math.floor(events / 2);
  start = process.hrtime.bigint();
  await getRunStateAt(store, { runId, atEvent: middle });
  const middleSec = seconds(start);
  start = process.hrtime.bigint();
  const verified = await verifyChain(store, signer, { stream: runId });
  const verifySec = seconds(start);
  if (!verified.ok || last.status !== 'succeeded' || last.tasks.length !== TASKS) throw new Error(`the long run did not project or verify: ${last.status}, ${JSON.stringify(verified.problems).slice(0, 300)}`);
  const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')}/s`;
  return [
    `| ${name} | ${events.toLocaleString('en-US')} events (${TASKS.toLocaleString('en-US')} tasks) | append ${appendSec.toFixed(1)} s | rows read whole ${wholeSec.toFixed(2)} s (${rate(events, wholeSec)}); its columns only ${readSec.toFixed(2)} s (${rate(events, readSec)}) | project to the last ${lastSec.toFixed(2)} s (${rate(events, lastSec)}, ${(readSec / lastSec).toFixed(2)}x the read of its columns) | to event ${middle.toLocaleString('en-US')} ${middleSec.toFixed(2)} s | verify ${verifySec.toFixed(2)} s (${rate(events, verifySec)}) |`,
  ];
}

function replayPrd(): string {
  // Ten chains of twenty: each task after the one before it in its chain.
  const lines = ['# Replay bench', '## Work'];
  for (let c = 0; c < REPLAY_TASKS / 20; c++) for (let i = 0; i < 20; i++) lines.push(`- \`c${c}t${i}\`: Step ${i} of chain ${c}${i ? ` (after \`c${c}t${i - 1}\`)` : ''}`);
  return lines.join('\n') + '\n';
}

async function replay(name: string, store: Store): Promise<string[]> {
  const standIn = await startOpenAIStandIn({ apiKey: TEST_KEY, fallback: (r) => ({ kind: 'answer', text: `ok:${/Task (\S+), attempt (\d+)/.exec(r.promptText)?.slice(1).join('#')}`, tokensIn: 40, tokensOut: 8 }) });
  const recorder = createCallRecorder({ store, mode: 'record', events: testCore(store).events });
  const provider = providerFor(harnesses[0]!, standIn, { recorder }, { costTable: { inputPerMTok: 1000, outputPerMTok: 4000 } });
  const employee = (a: Assignment) => async (): Promise<WorkResult> => {
    const answer = await provider.complete({ messages: [{ role: 'user', content: `Task ${a.task.id}, attempt ${a.attempt}: ${a.task.title}` }], temperature: 0 });
    const ran = await recordedTool(recorder, 'shell', { command: `echo ${answer.text}` }, async () => ({ exitCode: 0, stdout: `${answer.text}\n` }));
    return { status: 'succeeded', summary: `did ${a.task.id}`, output: { said: answer.text, stdout: ran.stdout }, telemetry: { tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, latencyMs: 1, costUsd: answer.costUsd, model: answer.model } };
  };
  const h = await startManager(store, { behaviour: (a) => employee(a), maxConcurrent: 8 });
  try {
    let start = process.hrtime.bigint();
    const run = await h.orchestrator.runs.submit({ prd: replayPrd() }, 'director');
    await waitForRun(store, h.orchestrator, run.id, ['succeeded'], 600_000);
    const originalSec = seconds(start);
    await standIn.close();
    start = process.hrtime.bigint();
    const replayed = await h.orchestrator.replays.start({ runId: run.id }, 'director');
    await waitForRun(store, h.orchestrator, replayed.id, ['succeeded', 'blocked', 'partial', 'failed'], 600_000);
    const report = await waitFor(store, async () => {
      const r = await h.orchestrator.replays.report(replayed.id);
      return r.final ? r : null;
    }, 120_000, 'the replay report');
    const replaySec = seconds(start);
    if (report.diverged) throw new Error(`the replay diverged: ${report.firstDivergence}`);
    return [`| ${name} | ${REPLAY_TASKS} tasks, ${REPLAY_TASKS} model calls and ${REPLAY_TASKS} tool calls | original ${originalSec.toFixed(2)} s ($${(await h.orchestrator.runs.get(run.id)).costUsd.toFixed(3)}) | replay with its report ${replaySec.toFixed(2)} s ($${report.costUsd.toFixed(3)}, no network) | ${(replaySec / originalSec).toFixed(2)}x the original | ${report.tasks.filter((t) => t.differences.length === 0).length}/${report.tasks.length} tasks identical |`];
  } finally {
    await h.stop();
    await standIn.close().catch(() => undefined);
  }
}

async function onPostgres<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const dbName = `aura_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const store = await openPgStore({ url: url.toString() });
  try {
    await migrate(store, loadMigrations(findMigrationsDir(process.cwd())));
    return await work(store);
  } finally {
    await store.close();
    await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

async function onPglite<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openPgliteStore({});
  try {
    await migrate(store, loadMigrations(findMigrationsDir(process.cwd())));
    return await work(store);
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  process.stdout.write(`replay bench: ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n\n`);
  process.stdout.write('| store | run | append | baseline | projection | time travel | verification |\n|---|---|---|---|---|---|---|\n');
  for (const line of await onPostgres((s) => projection('PostgreSQL', s))) process.stdout.write(`${line}\n`);
  for (const line of await onPglite((s) => projection('PGlite', s))) process.stdout.write(`${line}\n`);
  process.stdout.write('\n| store | run | original | replay | ratio | report |\n|---|---|---|---|---|---|\n');
  for (const line of await onPostgres((s) => replay('PostgreSQL', s))) process.stdout.write(`${line}\n`);
  for (const line of await onPglite((s) => replay('PGlite', s))) process.stdout.write(`${line}\n`);
  process.stdout.write(`\nload after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
