// `aura audit verify [--run ID]`: walks the event chains (against the signed checkpoint of heads under
// $AURA_HOME/audit) and reports the first problem of each; `aura audit checkpoint` writes that checkpoint now.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/config';
import type { CoreContext } from '../../core/core-context';
import { checkHeadCheckpoint, databaseIdentity, type HeadCheckpoint, readCheckpointFile, takeHeadCheckpoint, writeCheckpointFile } from '../../core/events/head-checkpoint';
import { type ChainProblem, verifyChain } from '../../core/events/verify-chain';
import { createLogger } from '../../core/observability/logger';
import { openCore } from '../app/open-core';
import { passThrough } from './command-kit';

const usage = 'Usage: aura audit verify [--run ID] [--json] | aura audit checkpoint\n';

interface CheckpointUse {
  file: string;
  takenAt?: string;
  used: boolean;
  note?: string;
}

/** The checkpoint file, checked: used when it is this database's and signed with this key; a bad one is a problem. */
async function loadCheckpoint(core: CoreContext): Promise<{ use: CheckpointUse | null; checkpoint?: HeadCheckpoint; problem?: ChainProblem }> {
  const stored = readCheckpointFile(core.config.auditDir);
  if (!stored) return { use: null };
  const checked = checkHeadCheckpoint(core.signer, stored.value);
  if (!checked.ok) {
    const message = `checkpoint ${stored.file}: ${checked.problem}.`;
    return { use: { file: stored.file, used: false, note: checked.problem }, problem: { kind: 'forged', stream: 'checkpoint', seq: 0, id: null, message } };
  }
  const identity = await databaseIdentity(core.store);
  if (checked.checkpoint.databaseId !== identity) {
    return { use: { file: stored.file, takenAt: checked.checkpoint.takenAt, used: false, note: `it is of another database (${checked.checkpoint.databaseId}; this one is ${identity})` } };
  }
  return { use: { file: stored.file, takenAt: checked.checkpoint.takenAt, used: true }, checkpoint: checked.checkpoint };
}

export async function auditCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify' && sub !== 'checkpoint') {
    process.stderr.write(usage);
    return 2;
  }
  const options: ParseArgsConfig['options'] = sub === 'verify' ? { run: { type: 'string' }, json: { type: 'boolean' } } : {};
  const { values } = parseArgs({ args: rest, options, strict: true }) as { values: { run?: string; json?: boolean } };
  const config = loadConfig();
  const logger = createLogger({ service: 'audit', level: 'warn', destination: 'stderr' });
  const core = await openCore({ config, logger, migrate: false });
  try {
    if (sub === 'checkpoint') {
      const checkpoint = await takeHeadCheckpoint(core.store, core.signer, core.clock);
      const file = writeCheckpointFile(config.auditDir, checkpoint);
      process.stdout.write(`Signed checkpoint of ${checkpoint.heads.length} chain head(s) written to ${file}.\n`);
      return 0;
    }
    const loaded = await loadCheckpoint(core);
    const report = await verifyChain(core.store, core.signer, { stream: values.run, checkpoints: loaded.checkpoint ? [loaded.checkpoint] : [] });
    if (loaded.problem) report.problems.unshift(loaded.problem);
    report.ok = report.problems.length === 0;
    if (values.json) {
      process.stdout.write(JSON.stringify({ ...report, checkpoint: loaded.use }, null, 2) + '\n');
    } else {
      const against = loaded.use?.used ? ` (against the signed checkpoint of ${loaded.use.takenAt})` : '';
      if (loaded.use && !loaded.use.used && !loaded.problem) process.stdout.write(`Checkpoint ${loaded.use.file} not used: ${loaded.use.note}.\n`);
      if (report.ok) {
        process.stdout.write(`Audit log verified: ${report.events} events in ${report.streams} chain(s)${against}, no tampering found.\n`);
      } else {
        process.stdout.write(`Audit log FAILED verification (${report.events} events checked in ${report.streams} chain(s)${against}):\n`);
        for (const p of report.problems) process.stdout.write(`  [${p.kind}] ${p.message}\n`);
      }
    }
    return report.ok ? 0 : 1;
  } finally {
    await core.store.close();
  }
}

/** `aura audit`: parses its own arguments. */
export const { register } = passThrough('audit', 'Verify the tamper-evident event log, or write the signed checkpoint of its heads', auditCommand);
