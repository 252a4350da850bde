// The comparison of a settled replay with its original, task by task: commit trees, the evidence that should match,
// verification verdicts, costs, and the first divergence. Stored once per replay (aura.replay_reports).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import { AuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { StoredEvent } from '../events/stored-event';
import type { Queryable, Store } from '../store/store';
import type { Workspace } from '../workspace/workspace';

export interface ReplayTaskSide {
  taskId: string;
  status: string;
  attempt: number;
  commit: string | null;
  /** The git tree of the task's commit: equal trees are byte-identical files. */
  tree: string | null;
  /** sha256 of what should match in the attempt's evidence (result, changed files, diff, commands and their output, acceptance runs). */
  evidenceHash: string | null;
  /** Each verification layer's verdict on the final attempt, `layer:passed` or `layer:failed`. */
  verdicts: string[];
  costUsd: number;
}

export interface ReplayTaskComparison {
  key: string;
  original: ReplayTaskSide | null;
  replay: ReplayTaskSide | null;
  /** What differs: status, attempt, tree, evidence, verdicts (empty when the task replayed identically). */
  differences: string[];
}

export type ReplayDivergence = StoredEvent<'ReplayDiverged'>['payload'] & { seq: number };

export interface ReplayReport {
  runId: string;
  originalRunId: string;
  until: number | null;
  status: string;
  diverged: boolean;
  /** What the replay cost: its run's cost and its cost ledger (both 0 when every model call was served). */
  costUsd: number;
  ledgerUsd: number;
  originalCostUsd: number;
  tasks: ReplayTaskComparison[];
  /** Calls that did not match the record, in order. */
  divergences: ReplayDivergence[];
  /** Where the replay first went another way: the first call that diverged, else the first task that differs. */
  firstDivergence: string | null;
  createdAt: string;
}

interface TaskRow {
  id: string;
  key: string;
  status: string;
  attempt: number;
  result: { commit?: string } | null;
  cost_usd: number;
}

async function tableExists(db: Queryable, table: string): Promise<boolean> {
  return Boolean((await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t);
}

const volatile = new Set(['durationMs', 'latencyMs', 'seq']);

/** Drops how long things took and when, and writes the run's own ids as placeholders: what is left should match. */
function stable(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const [id, placeholder] of ids) out = out.split(id).join(placeholder);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => stable(v, ids));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!volatile.has(k) && !k.endsWith('At')) out[k] = stable(v, ids);
  return out;
}

async function sideOf(deps: { store: Store; events: EventLog; workspace?: Workspace }, runId: string, keys: ReadonlySet<string> | null): Promise<Map<string, ReplayTaskSide>> {
  const rows = (await deps.store.query<TaskRow>('SELECT id, key, status, attempt, result, cost_usd FROM aura.tasks WHERE run_id = $1 AND in_plan ORDER BY seq', [runId])).rows.filter((r) => !keys || keys.has(r.key));
  const verdicts = await deps.events.query({ stream: runId, types: ['VerificationPassed', 'VerificationFailed'], limit: 1000 });
  const hasEvidence = await tableExists(deps.store, 'aura.evidence');
  const ids = new Map<string, string>([[runId, '{run}'], ...rows.map((r) => [r.id, `{task ${r.key}}`] as [string, string])]);
  const out = new Map<string, ReplayTaskSide>();
  for (const r of rows) {
    const attempt = Number(r.attempt);
    const commit = r.result?.commit ?? null;
    const tree = commit && deps.workspace ? await deps.workspace.treeOf(runId, commit).catch(() => null) : null;
    let evidenceHash: string | null = null;
    if (hasEvidence) {
      const body = (await deps.store.query<{ body: { content: Record<string, unknown> } }>("SELECT body FROM aura.evidence WHERE task_id = $1 AND kind = 'attempt' AND attempt = $2 ORDER BY created_at DESC LIMIT 1", [r.id, attempt])).rows[0]?.body;
      if (body) {
        const c = body.content;
        const result = c.result as { status?: unknown; summary?: unknown; output?: unknown } | null;
        const matter = { result: result ? { status: result.status, summary: result.summary, output: result.output } : null, changedFiles: c.changedFiles, diff: c.diff, commands: c.commands, acceptance: c.acceptance };
        evidenceHash = createHash('sha256').update(canonicalJson(stable(matter, ids))).digest('hex');
      }
    }
    const mine = verdicts.filter((e) => e.taskId === r.id && (e.payload as { attempt: number }).attempt === attempt);
    out.set(r.key, {
      taskId: r.id,
      status: r.status,
      attempt,
      commit,
      tree,
      evidenceHash,
      verdicts: mine.map((e) => `${(e.payload as { layer: string }).layer}:${e.type === 'VerificationPassed' ? 'passed' : 'failed'}`).sort(),
      costUsd: Number(r.cost_usd),
    });
  }
  return out;
}

function differencesOf(o: ReplayTaskSide | null, r: ReplayTaskSide | null): string[] {
  if (!o || !r) return [o ? 'not replayed' : 'not in the original'];
  const d: string[] = [];
  if (o.status !== r.status) d.push('status');
  if (o.attempt !== r.attempt) d.push('attempt');
  if (o.tree !== r.tree) d.push('tree');
  if (o.evidenceHash !== r.evidenceHash) d.push('evidence');
  if (o.verdicts.join() !== r.verdicts.join()) d.push('verdicts');
  return d;
}

export interface ReplayReportDeps {
  store: Store;
  events: EventLog;
  workspace?: Workspace;
  now(): Date;
}

/** Builds the report of replay `runId` (settled or not: it says what is true now). */
export async function compareReplay(deps: ReplayReportDeps, runId: string): Promise<ReplayReport> {
  const run = (await deps.store.query<{ id: string; status: string; replay_of: string | null; replay_until: number | null; cost_usd: number }>('SELECT id, status, replay_of, replay_until, cost_usd FROM aura.runs WHERE id = $1', [runId])).rows[0];
  if (!run) throw new AuraError('not_found', `No run with id "${runId}".`);
  if (!run.replay_of) throw new AuraError('invalid_input', `Run ${runId} is not a replay.`);
  const originalRunId = run.replay_of;
  const replay = await sideOf(deps, runId, null);
  const original = await sideOf(deps, originalRunId, new Set(replay.keys()));
  const keys = [...new Set([...original.keys(), ...replay.keys()])];
  const tasks = keys.map((key) => {
    const o = original.get(key) ?? null;
    const r = replay.get(key) ?? null;
    return { key, original: o, replay: r, differences: differencesOf(o, r) };
  });
  const divergences = (await deps.events.query({ stream: runId, types: ['ReplayDiverged'], limit: 1000 })).map((e) => ({ ...(e as StoredEvent<'ReplayDiverged'>).payload, seq: e.seq }));
  const ledgerUsd = (await tableExists(deps.store, 'aura.cost_ledger')) ? Number((await deps.store.query<{ s: number }>('SELECT coalesce(sum(cost_usd), 0) AS s FROM aura.cost_ledger WHERE run_id = $1', [runId])).rows[0]?.s ?? 0) : 0;
  const originalCost = Number((await deps.store.query<{ cost_usd: number }>('SELECT cost_usd FROM aura.runs WHERE id = $1', [originalRunId])).rows[0]?.cost_usd ?? 0);
  const firstTask = tasks.find((t) => t.differences.length > 0);
  const firstCall = divergences[0];
  const firstDivergence = firstCall
    ? `task ${firstCall.taskKey}, attempt ${firstCall.attempt}: ${firstCall.kind} call ${firstCall.provider} ${firstCall.model} (key ${firstCall.callKey}, repeat ${firstCall.repeat}) ${firstCall.reason === 'missing' ? 'is not in the record' : 'answered differently'}`
    : firstTask
      ? `task ${firstTask.key}: ${firstTask.differences.join(', ')} differ${firstTask.differences.length === 1 ? 's' : ''}`
      : null;
  return {
    runId,
    originalRunId,
    until: run.replay_until === null ? null : Number(run.replay_until),
    status: run.status,
    diverged: firstDivergence !== null,
    costUsd: Number(run.cost_usd),
    ledgerUsd,
    originalCostUsd: originalCost,
    tasks,
    divergences,
    firstDivergence,
    createdAt: deps.now().toISOString(),
  };
}

/** Stores the report of a settled replay once, with its ReplayCompared event; returns the stored one. */
export async function storeReplayReport(deps: ReplayReportDeps, report: ReplayReport): Promise<ReplayReport> {
  return deps.store.transaction(async (tx) => {
    const inserted = await tx.query(
      'INSERT INTO aura.replay_reports (run_id, original_run_id, diverged, report, created_at) VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (run_id) DO NOTHING RETURNING run_id',
      [report.runId, report.originalRunId, report.diverged, JSON.stringify(report), report.createdAt],
    );
    if (inserted.rows.length === 0) return (await readReplayReport(tx, report.runId))!;
    const matching = report.tasks.filter((t) => t.differences.length === 0).length;
    await deps.events.appendIn(tx, [
      { type: 'ReplayCompared', runId: report.runId, actor: 'system:replay', payload: { originalRunId: report.originalRunId, diverged: report.diverged, tasks: report.tasks.length, matching, costUsd: report.costUsd + report.ledgerUsd, firstDivergence: report.firstDivergence?.slice(0, 1000) ?? null } },
    ]);
    return report;
  });
}

export async function readReplayReport(db: Queryable, runId: string): Promise<ReplayReport | null> {
  const row = (await db.query<{ report: ReplayReport }>('SELECT report FROM aura.replay_reports WHERE run_id = $1', [runId])).rows[0];
  return row ? row.report : null;
}
