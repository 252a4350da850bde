// Verification layer 3: the task's acceptance commands, run by the Auditor itself in fresh containers on the task's
// commit (an export of that commit, not the employee's folder), never trusting the employee's claim.
import { type ContainerRuntime, MANAGER_LABEL } from '../../containers/container-runtime';
import { AuraError, toAuraError } from '../../domain/errors';
import type { Assignment, WorkResult } from '../../workforce/worker';
import type { Workspace } from '../../workspace/workspace';
import { exportCommit, type ExportedTree, freshFolder } from './commit-export';
import { clip } from './evidence-scrub';
import type { LayerOutcome } from './verification-record';

/** Kinds whose acceptance commands are run (an analysis or review task has nothing to execute). */
const checkedKinds = new Set(['code', 'command', 'doc']);
const OUTPUT_KEPT = 16 * 1024;

export interface AcceptanceDeps {
  runtime?: ContainerRuntime;
  workspace?: Workspace;
  /** The image checks run in when the employee's profile names none. */
  defaultImage: string;
  /** Labels every Auditor container carries (the runtime adds aura.managed). */
  labels?: Record<string, string>;
}

interface CommandEvidence {
  command: string;
  exitCode: number | null;
  reason: string;
  durationMs: number;
  stdout: string;
  stderr: string;
}

const unavailable = (reason: string, evidence?: unknown): LayerOutcome => ({ layer: 'acceptance', passed: false, infrastructure: true, reason, evidence });

/** Null when the task has no acceptance commands to run. */
export async function runAcceptance(deps: AcceptanceDeps, a: Assignment, result: WorkResult): Promise<LayerOutcome | null> {
  const commands = a.task.acceptance.commands;
  if (!checkedKinds.has(a.task.kind) || commands.length === 0) return null;
  if (!deps.runtime) return unavailable('acceptance checks cannot run: no container engine is configured (they never run outside a container)');
  const ping = await deps.runtime.ping().catch((e: unknown) => ({ ok: false, detail: toAuraError(e).message }));
  if (!ping.ok) return unavailable(`acceptance checks cannot run: the container engine is unavailable (${ping.detail})`);

  let tree: ExportedTree;
  let source: Record<string, unknown>;
  try {
    const run = deps.workspace ? await deps.workspace.getRun(a.runId) : null;
    if (run) {
      const commit = result.commit ?? (await deps.workspace!.runHead(a.runId));
      tree = await exportCommit(run.repoPath, commit);
      source = { commit, fromResult: result.commit !== undefined };
    } else {
      tree = freshFolder();
      source = { commit: null, note: 'the run has no workspace: the checks ran in an empty folder' };
    }
  } catch (error) {
    const e = toAuraError(error);
    if (e.code === 'invalid_input') return { layer: 'acceptance', passed: false, reason: `the result names no usable commit: ${e.message}`, evidence: { error: e.message } };
    return unavailable(`acceptance checks cannot run: ${e.message}`);
  }

  const profile = a.employee.profile;
  const ran: CommandEvidence[] = [];
  try {
    for (const command of commands) {
      const handle = await deps.runtime.run({
        image: profile.image ?? deps.defaultImage,
        command: ['sh', '-c', command],
        workspace: tree.dir,
        network: 'none',
        memoryMb: profile.limits.memoryMb,
        cpus: profile.limits.cpus,
        pids: profile.limits.pids,
        timeoutMs: a.task.timeoutMs,
        env: { HOME: '/tmp' },
        labels: { ...deps.labels, 'aura.role': 'auditor', 'aura.run': a.runId, 'aura.task': a.taskId, 'aura.attempt': String(a.attempt), ...(a.manager ? { [MANAGER_LABEL]: a.manager } : {}) },
      });
      const r = await handle.result;
      ran.push({ command, exitCode: r.exitCode, reason: r.reason, durationMs: r.durationMs, stdout: clip(r.stdout, OUTPUT_KEPT), stderr: clip(r.stderr, OUTPUT_KEPT) });
    }
  } catch (error) {
    const e = toAuraError(error);
    if (e.code === 'unavailable' || e.code === 'timeout') return unavailable(`acceptance checks were interrupted: ${e.message}`, { ...source, commands: ran });
    throw new AuraError('internal', `acceptance checks failed to run: ${e.message}`, { cause: e });
  } finally {
    tree.dispose();
  }

  const failed = ran.filter((c) => c.reason !== 'exited' || c.exitCode !== 0);
  const evidence = { ...source, image: profile.image ?? deps.defaultImage, commands: ran, claimsChecksPassed: result.claimsChecksPassed ?? null };
  const details = { commands: ran.map((c) => ({ command: c.command.slice(0, 200), exitCode: c.exitCode, reason: c.reason })) };
  if (failed.length === 0) return { layer: 'acceptance', passed: true, evidence, details };
  const first = failed[0]!;
  return {
    layer: 'acceptance',
    passed: false,
    reason: `acceptance command "${first.command.slice(0, 200)}" ${first.reason === 'exited' ? `exited with ${first.exitCode}` : `ended: ${first.reason}`}${failed.length > 1 ? ` (and ${failed.length - 1} more failed)` : ''}`,
    evidence,
    details,
  };
}
