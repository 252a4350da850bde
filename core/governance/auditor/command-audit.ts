// Re-checks the commands an attempt ran (or tried) against the tool rules: what was forbidden, and which rule says so.
import type { RunInfo } from '../../manager/governance-port';
import type { Assignment } from '../../workforce/worker';
import type { RunlogEntry } from '../../workforce/workers/runlog';
import type { CompiledPolicySet } from '../policy/policy-compile';
import { decide } from '../policy/policy-evaluate';

export interface ForbiddenCommand {
  command: string;
  rule: string;
  reason: string;
  /** The runlog entry it was recorded as. */
  seq: number;
  /** Whether it actually ran (false when a gate stopped it before it started). */
  ran: boolean;
}

const commandKinds = new Set(['command', 'check', 'agent']);

export function forbiddenCommands(entries: readonly RunlogEntry[], set: CompiledPolicySet, a: Assignment, run: RunInfo | undefined): ForbiddenCommand[] {
  const found: ForbiddenCommand[] = [];
  for (const entry of entries) {
    if (!commandKinds.has(entry.kind) || !entry.command) continue;
    const detail = entry.detail as { decision?: string; rule?: string; why?: string } | undefined;
    if (entry.reason === 'denied' && detail?.decision === 'deny') {
      found.push({ command: entry.command, rule: detail.rule ?? 'policy', reason: detail.why ?? 'denied by policy', seq: entry.seq, ran: false });
      continue;
    }
    if (entry.reason === 'denied') continue;
    const decision = decide(set, { checkpoint: 'tool', task: a.task, taskId: a.taskId, employee: a.employee, run, tool: { kind: 'command', name: 'shell', command: entry.command, args: [], paths: [], host: '' } });
    if (decision.action === 'deny') found.push({ command: entry.command, rule: decision.rule!, reason: decision.reason!, seq: entry.seq, ran: true });
  }
  return found;
}
