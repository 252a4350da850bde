// What both halves of the MCP bench share: a core on an embedded database, in-process employees, the no-op tool,
// and a finished 20-task run for get_run to read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { openStore } from '../../adapters/store-open';
import { loadConfig } from '../../core/config/config';
import type { CoreContext } from '../../core/core-context';
import { systemClock } from '../../core/domain/clock';
import { createAuditSigner } from '../../core/events/chain';
import { createEventLog } from '../../core/events/event-log';
import { createSilentLogger } from '../../core/observability/logger';
import { createMetrics } from '../../core/observability/metrics';
import { findMigrationsDir, loadMigrations, migrate } from '../../core/store/migrations';
import type { Orchestrator } from '../../core/orchestrator';
import type { BaseModelWorker, WorkerFactory } from '../../core/workforce/worker';
import { READERS } from '../../mcp-server/auth/roles';
import { defineTool, READ_ONLY } from '../../mcp-server/mcp/tool-definition';

/** The transport's own floor: a tool that validates an empty object and returns one. */
export const noopTool = defineTool({
  name: 'noop',
  title: 'No-op',
  group: 'audit',
  description: 'Does nothing (benchmark baseline).',
  roles: READERS,
  input: z.strictObject({}),
  output: z.object({}),
  annotations: READ_ONLY,
  run: async () => ({}),
});

export async function benchCore(home = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-bench-mcp-'))): Promise<CoreContext> {
  const config = loadConfig({ AURA_HOME: home, DATABASE_URL: process.env.BENCH_DATABASE_URL, AURA_LOG_LEVEL: 'silent' });
  const store = await openStore(config);
  await migrate(store, loadMigrations(findMigrationsDir(path.join(__dirname, '..', '..'))));
  const signer = createAuditSigner('bench-audit-key-0123456789abcdef');
  return { config, store, events: createEventLog({ store, signer }), signer, clock: systemClock, logger: createSilentLogger(), metrics: createMetrics({ defaultMetrics: false }), readiness: [] };
}

/** Employees that succeed at once, in this process (benchmarks may run them). */
export const instantWorkers: WorkerFactory = (employee): BaseModelWorker => ({
  capabilities: { provider: 'in-process', model: employee.profile.model, kinds: ['code', 'doc', 'analysis', 'command', 'review'], structuredOutput: true, isolated: false },
  execute: async (a) => ({ status: 'succeeded', summary: `did ${a.task.id}`, telemetry: { tokensIn: 1, tokensOut: 1, latencyMs: 0, costUsd: 0, model: 'bench' } }),
  cancel: async () => undefined,
});

const prd = ['# Bench', '## Work', ...Array.from({ length: 20 }, (_, i) => `- \`t${i + 1}\`: Task ${i + 1}${i ? ` (after \`t${Math.floor(i / 2) + 1}\`)` : ''}`), ''].join('\n');

/** Hires two employees and runs a 20-task PRD to completion; returns its id. */
export async function finishedRun(orchestrator: Orchestrator): Promise<string> {
  for (const name of ['bench-a', 'bench-b']) await orchestrator.employees.hire({ name, provider: 'in-process', model: 'bench', maxConcurrent: 4 }, 'director:bench');
  const run = await orchestrator.runs.submit({ prd }, 'director:bench');
  for (let i = 0; i < 3000; i++) {
    if ((await orchestrator.runs.get(run.id)).status === 'succeeded') return run.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the bench run did not finish in 5 minutes');
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const now = () => Number(process.hrtime.bigint()) / 1e6;
