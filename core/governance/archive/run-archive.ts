// Archives a finished run (plan, results, evidence, scores and costs), signed and content-addressed, viewable later.
import type { Clock } from '../../domain/clock';
import { AuraError } from '../../domain/errors';
import type { AuditSigner } from '../../events/chain';
import type { EventLog } from '../../events/event-log';
import type { StoredEvent } from '../../events/stored-event';
import type { Store } from '../../store/store';
import { type Accountant, ALL_KINDS } from '../accountant/accountant';
import type { ScoreCard } from '../accountant/scoring';
import { evidenceHash } from '../auditor/evidence-store';
import type { CostLedger, RunCostRollup } from '../budget/cost-ledger';
import { foldRunEvents, type RunStory } from './archive-body';

export interface ArchiveBody extends RunStory {
  evidence: Array<{ hash: string; kind: string; taskId: string | null; attempt: number | null }>;
  scores: ScoreCard[];
  costs: RunCostRollup;
}

export interface RunArchiveRecord {
  runId: string;
  title: string;
  outcome: string;
  hash: string;
  archivedAt: Date;
  /** Whether the stored body still hashes to `hash` and carries this audit key's signature. */
  intact: boolean;
  body: ArchiveBody;
}

export interface RunArchive {
  /** Builds and stores (or refreshes) the archive of a run from its events and governance records. */
  archive(runId: string, actor: string): Promise<RunArchiveRecord>;
  get(runId: string): Promise<RunArchiveRecord>;
  list(options?: { limit?: number; before?: Date }): Promise<Array<Omit<RunArchiveRecord, 'body' | 'intact'>>>;
}

interface ArchiveRow {
  run_id: string;
  title: string;
  outcome: string;
  hash: string;
  hmac: string;
  body: ArchiveBody;
  archived_at: Date;
}

export function createRunArchive(deps: { store: Store; events: EventLog; signer: AuditSigner; clock: Clock; accountant: Accountant; ledger: CostLedger }): RunArchive {
  const { store, events, signer, clock } = deps;

  async function runEvents(runId: string): Promise<StoredEvent[]> {
    const all: StoredEvent[] = [];
    for (let afterId = 0; ; ) {
      const page = await events.query({ runId, afterId, limit: 1000 });
      all.push(...page);
      if (page.length < 1000) return all;
      afterId = page[page.length - 1]!.id;
    }
  }

  const toRecord = (row: ArchiveRow): RunArchiveRecord => ({
    runId: row.run_id,
    title: row.title,
    outcome: row.outcome,
    hash: row.hash,
    archivedAt: row.archived_at,
    intact: evidenceHash(row.body) === row.hash && signer.verify(row.hash, row.hmac),
    body: row.body,
  });

  return {
    async archive(runId, actor) {
      const story = foldRunEvents(runId, await runEvents(runId));
      if (!story.run.startedAt && story.tasks.length === 0) throw new AuraError('not_found', `No events of run ${runId}; nothing to archive.`);
      const evidence = await store.query<{ hash: string; kind: string; task_id: string | null; attempt: number | null }>(
        'SELECT hash, kind, task_id, attempt FROM aura.evidence WHERE run_id = $1 ORDER BY created_at, hash',
        [runId],
      );
      const employeeIds = [...new Set(story.tasks.flatMap((t) => t.attempts.map((a) => a.employeeId)).filter((id): id is string => !!id))].sort();
      const cards = await deps.accountant.cards(store, employeeIds, ALL_KINDS);
      const body: ArchiveBody = {
        ...story,
        evidence: evidence.rows.map((r) => ({ hash: r.hash, kind: r.kind, taskId: r.task_id, attempt: r.attempt === null ? null : Number(r.attempt) })),
        scores: employeeIds.map((id) => cards.get(id)!),
        costs: await deps.ledger.rollup(store, runId),
      };
      const stored = JSON.parse(JSON.stringify(body)) as ArchiveBody;
      const hash = evidenceHash(stored);
      const now = clock.now();
      await store.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO aura.run_archives (run_id, title, outcome, hash, hmac, body, archived_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
           ON CONFLICT (run_id) DO UPDATE SET title = EXCLUDED.title, outcome = EXCLUDED.outcome, hash = EXCLUDED.hash, hmac = EXCLUDED.hmac, body = EXCLUDED.body, archived_at = EXCLUDED.archived_at`,
          [runId, story.run.title, story.run.outcome, hash, signer.sign(hash), JSON.stringify(stored), now.toISOString()],
        );
        await events.appendIn(tx, [{ type: 'RunArchived', actor, runId, payload: { archiveHash: hash, outcome: story.run.outcome, tasks: story.tasks.length, evidence: body.evidence.length } }]);
      });
      return { runId, title: story.run.title, outcome: story.run.outcome, hash, archivedAt: now, intact: true, body: stored };
    },
    async get(runId) {
      const row = (await store.query<ArchiveRow>('SELECT * FROM aura.run_archives WHERE run_id = $1', [runId])).rows[0];
      if (!row) throw new AuraError('not_found', `Run ${runId} has no archive (it is archived when it finishes).`);
      return toRecord(row);
    },
    async list(options = {}) {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
      const rows = await store.query<ArchiveRow>(
        `SELECT run_id, title, outcome, hash, archived_at FROM aura.run_archives WHERE ($1::timestamptz IS NULL OR archived_at < $1) ORDER BY archived_at DESC, run_id LIMIT ${limit}`,
        [options.before?.toISOString() ?? null],
      );
      return rows.rows.map((r) => ({ runId: r.run_id, title: r.title, outcome: r.outcome, hash: r.hash, archivedAt: r.archived_at }));
    },
  };
}
