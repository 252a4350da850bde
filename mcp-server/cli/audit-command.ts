// `aura audit verify [--run ID]`: walks the event chains and reports the first bad row of each.
import type { Command } from 'commander';
import { loadConfig } from '../../core/config/config';
import { verifyChain } from '../../core/events/verify-chain';
import { createLogger } from '../../core/observability/logger';
import { openCore } from '../app/open-core';
import { act } from './command-kit';

export function register(program: Command): void {
  program
    .command('audit')
    .description('Verify the tamper-evident event log')
    .usage('verify [--run ID] [--json]')
    .command('verify')
    .description('Walk the event chains and report the first bad row of each (exit 1 if any)')
    .option('--run <run>', 'only this run\'s chain')
    .option('--json', 'print the report as JSON')
    .action(act('audit verify', (values: { run?: string; json?: boolean }) => auditVerify(values)));
}

async function auditVerify(values: { run?: string; json?: boolean }): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ service: 'audit', level: 'warn', destination: 'stderr' });
  const core = await openCore({ config, logger, migrate: false });
  try {
    const report = await verifyChain(core.store, core.signer, { stream: values.run });
    if (values.json) {
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    } else if (report.ok) {
      process.stdout.write(`Audit log verified: ${report.events} events in ${report.streams} chain(s), no tampering found.\n`);
    } else {
      process.stdout.write(`Audit log FAILED verification (${report.events} events checked in ${report.streams} chain(s)):\n`);
      for (const p of report.problems) process.stdout.write(`  [${p.kind}] ${p.message}\n`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await core.store.close();
  }
}
