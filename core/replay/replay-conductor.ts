// Drives replays to their end: an approval a replay asks for is answered as the original's was (by whom, how), and a
// replay that settled gets its report. Woken by committed events of replay runs (other streams are told apart once
// and remembered), with a slow poll behind; safe in several processes.
import { toAuraError } from '../domain/errors';
import type { Clock } from '../domain/clock';
import type { EventLog } from '../events/event-log';
import { EVENTS_CHANNEL } from '../events/event-log';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import type { ApprovalDecision } from '../runs/inputs';
import type { Workspace } from '../workspace/workspace';
import { compareReplay, storeReplayReport } from './replay-report';

export interface ReplayConductorDeps {
  store: Store;
  events: EventLog;
  clock: Clock;
  logger: Logger;
  workspace?: Workspace;
  resolveApproval(approvalId: string, decision: ApprovalDecision): Promise<unknown>;
  pollMs?: number;
}

export interface ReplayConductor {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One pass: answers what replays wait for, reports the settled ones (tests call it directly). */
  tick(): Promise<void>;
}

interface WaitingApproval {
  id: string;
  run_id: string;
  replay_of: string;
  key: string;
  ordinal: number;
}

const SETTLED = ['succeeded', 'partial', 'blocked', 'failed', 'cancelled'];
/** Streams remembered as being (or not being) a replay's: a run is a replay from its creation or never. */
const KNOWN_STREAMS = 10_000;

export function createReplayConductor(deps: ReplayConductorDeps): ReplayConductor {
  const log = deps.logger.child({ component: 'replay-conductor' });
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  // Every append NOTIFYs its stream; only a replay's own events (its approvals asked, its settling) concern this.
  const isReplay = new Map<string, boolean>();
  const pendingStreams = new Set<string>();
  let checking = false;

  async function checkStreams(): Promise<void> {
    if (checking) return;
    checking = true;
    try {
      while (pendingStreams.size) {
        const streams = [...pendingStreams];
        pendingStreams.clear();
        const rows = await deps.store.query<{ id: string }>('SELECT id FROM aura.runs WHERE id = ANY ($1::text[]) AND replay_of IS NOT NULL', [streams]);
        const replays = new Set(rows.rows.map((r) => r.id));
        if (isReplay.size + streams.length > KNOWN_STREAMS) isReplay.clear();
        for (const stream of streams) isReplay.set(stream, replays.has(stream));
        if (replays.size) wake();
      }
    } catch (e: unknown) {
      log.warn({ err: toAuraError(e).message }, 'could not tell whether a stream is a replay; the poll covers it');
    } finally {
      checking = false;
    }
  }

  function onEvent(stream: string): void {
    const known = isReplay.get(stream);
    if (known === true) return wake();
    if (known === false) return;
    pendingStreams.add(stream);
    void checkStreams();
  }

  async function answerApprovals(): Promise<void> {
    // The n-th approval a replay's task asks for is answered as the original's n-th one for the same task key was.
    const waiting = await deps.store.query<WaitingApproval>(
      `SELECT a.id, a.run_id, r.replay_of, t.key,
              (SELECT count(*) FROM aura.approvals p WHERE p.task_id = a.task_id AND p.requested_at <= a.requested_at)::int AS ordinal
         FROM aura.approvals a JOIN aura.runs r ON r.id = a.run_id JOIN aura.tasks t ON t.id = a.task_id
        WHERE a.status = 'pending' AND r.replay_of IS NOT NULL AND a.subject = 'task'`,
    );
    for (const w of waiting.rows) {
      const original = (
        await deps.store.query<{ status: string; decided_by: string | null; note: string | null }>(
          `SELECT a.status, a.decided_by, a.note FROM aura.approvals a JOIN aura.tasks t ON t.id = a.task_id
            WHERE a.run_id = $1 AND t.key = $2 AND a.subject = 'task' ORDER BY a.requested_at, a.id OFFSET $3 LIMIT 1`,
          [w.replay_of, w.key, Number(w.ordinal) - 1],
        )
      ).rows[0];
      // The original never answered it (yet): the replay waits where the original waited.
      if (!original || (original.status !== 'approved' && original.status !== 'rejected')) continue;
      const by = `replay:${original.decided_by ?? 'director'}`.slice(0, 200);
      await deps
        .resolveApproval(w.id, { approved: original.status === 'approved', by, note: original.note ?? (original.status === 'rejected' ? 'rejected in the original run' : undefined) })
        .catch((e: unknown) => log.warn({ approvalId: w.id, err: toAuraError(e).message }, 'could not answer a replay approval (another process may have)'));
    }
  }

  async function reportSettled(): Promise<void> {
    const settled = await deps.store.query<{ id: string }>(
      `SELECT r.id FROM aura.runs r WHERE r.replay_of IS NOT NULL AND r.status = ANY ($1::text[])
          AND NOT EXISTS (SELECT 1 FROM aura.replay_reports p WHERE p.run_id = r.id) ORDER BY r.created_at`,
      [SETTLED],
    );
    for (const { id } of settled.rows) {
      const reportDeps = { store: deps.store, events: deps.events, workspace: deps.workspace, now: () => deps.clock.now() };
      const report = await storeReplayReport(reportDeps, await compareReplay(reportDeps, id));
      log.info({ runId: id, originalRunId: report.originalRunId, diverged: report.diverged, firstDivergence: report.firstDivergence }, 'replay compared with its original');
    }
  }

  async function tick(): Promise<void> {
    await answerApprovals();
    await reportSettled();
  }

  /** One pass at a time; a wake during a pass runs one more after it. */
  function wake(): void {
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .catch((e: unknown) => log.warn({ err: toAuraError(e).message }, 'replay conductor pass failed; the next wake retries'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  return {
    tick,
    async start() {
      unlisten = await deps.store.listen(EVENTS_CHANNEL, onEvent);
      timer = setInterval(wake, deps.pollMs ?? 2_000);
      timer.unref?.();
      wake();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await unlisten?.();
      unlisten = undefined;
      await running;
    },
  };
}
