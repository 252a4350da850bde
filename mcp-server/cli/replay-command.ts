// `aura replay RUN [--until EVENT] [--json]`: replays a run from its record in this process, waits for it to settle,
// prints the comparison with the original and exits 1 when the replay diverged (2 for bad arguments).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../../core/config/config';
import { AuraError } from '../../core/domain/errors';
import { createLogger } from '../../core/observability/logger';
import { runIdSchema } from '../../core/runs/inputs';
import type { ReplayReport } from '../../core/replay/replay-report';
import { openCore } from '../app/open-core';
import { openAuraServices } from '../mcp/compose/open-aura-services';
import { passThrough } from './command-kit';

const usage = 'Usage: aura replay RUN [--until EVENT] [--json] [--timeout SECONDS]\n';

const argsSchema = z.object({
  runId: runIdSchema,
  until: z.coerce.number().int().positive().optional(),
  timeoutSeconds: z.coerce.number().int().positive().max(86_400).default(3_600),
});

function printReport(report: ReplayReport): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Replay ${report.runId} of ${report.originalRunId}${report.until ? ` (until event ${report.until})` : ''}: ${report.status}, ${report.diverged ? 'DIVERGED' : 'identical'}`);
  for (const t of report.tasks) {
    const tree = (s: { tree: string | null } | null) => s?.tree?.slice(0, 12) ?? '—';
    out(`  ${t.differences.length ? '✗' : '✓'} ${t.key.padEnd(24)} tree ${tree(t.original)} → ${tree(t.replay)}  ${t.replay?.status ?? 'not replayed'}${t.differences.length ? `  (${t.differences.join(', ')} differ)` : ''}`);
  }
  out(`  cost: replay $${(report.costUsd + report.ledgerUsd).toFixed(4)}, original $${report.originalCostUsd.toFixed(4)}`);
  if (report.firstDivergence) out(`  first divergence: ${report.firstDivergence}`);
}

export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { until: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' } }, allowPositionals: true, strict: true });
  const parsed = argsSchema.safeParse({ runId: positionals[0], until: values.until, timeoutSeconds: values.timeout });
  if (positionals.length !== 1 || !parsed.success) {
    process.stderr.write(`${parsed.success ? 'Give exactly one run id.' : parsed.error.issues.map((i) => `${i.path.join('.') || 'run'}: ${i.message}`).join('; ')}\n${usage}`);
    return 2;
  }
  const { runId, until, timeoutSeconds } = parsed.data;
  const config = loadConfig();
  const logger = createLogger({ service: 'replay', level: 'warn', destination: 'stderr' });
  const core = await openCore({ config, logger });
  const services = await openAuraServices(core);
  try {
    const replay = await services.orchestrator.replays.start({ runId, until }, 'director:cli');
    if (!values.json) process.stderr.write(`Replaying ${runId} as ${replay.id} (${replay.tasks.length} tasks)…\n`);
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
      const report = await services.orchestrator.replays.report(replay.id);
      if (report.final) {
        if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printReport(report);
        return report.diverged ? 1 : 0;
      }
      if (Date.now() > deadline) throw new AuraError('timeout', `Replay ${replay.id} had not settled after ${timeoutSeconds} s (it is ${report.status}); aura replay --timeout gives it longer.`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await services.stop(1_000);
    await core.store.close();
  }
}

/** `aura replay`: parses its own arguments. */
export const { register } = passThrough('replay', 'Replay a run from its record and compare it with the original', replayCommand);
