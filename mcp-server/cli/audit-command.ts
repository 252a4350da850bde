// `aura audit verify [--run ID]`: walks the event chains and reports the first bad row of each.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/config';
import { verifyChain } from '../../core/events/verify-chain';
import { createLogger } from '../../core/observability/logger';
import { openCore } from '../app/open-core';

export async function auditCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') {
    process.stderr.write('Usage: aura audit verify [--run ID] [--json]\n');
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { run: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
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
