// What a settled run taught: when a run completes (or its plan is refused), the Manager writes its accepted work,
// the files it touched and its failures with their causes to project memory, marked with the run. Driven by the
// event log (NOTIFY wakes, a poll backs up) and keyed by the settling event, so a crash neither loses nor repeats it.
import { toAuraError } from '../domain/errors';
import type { EventLog } from '../events/event-log';
import type { StoredEvent } from '../events/stored-event';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/store';
import type { MemoryAuthor, WriteRequest } from './memory-writes';
import { DEFAULT_WORKSPACE } from '../tenancy/workspace';
import { workspaceOf } from '../tenancy/workspace-filter';
import { createWokenDrain } from '../events/woken-drain';

export const LESSONS_TAG = 'run-lessons';
export const lessonsKey = (runId: string) => `runs/${runId}/lessons`;
const MANAGER: MemoryAuthor = { actor: 'manager', kind: 'manager' };

export interface LessonsDeps {
  store: Store;
  events: EventLog;
  logger: Logger;
  project: string;
  write(request: WriteRequest, author: MemoryAuthor): Promise<{ written: boolean }>;
  pollMs?: number;
}

export interface RunLessons {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Writes the lessons of every settled run not yet written; returns how many it wrote. */
  drain(): Promise<number>;
}

interface TaskFacts {
  key: string;
  title: string;
  status: string;
  summary: string | null;
  last_error: string | null;
}

/** The Markdown a run's lessons are stored as. */
export async function composeLessons(store: Store, event: StoredEvent): Promise<string> {
  const runId = event.runId!;
  const run = (await store.query<{ title: string; status: string; cost_usd: number; status_reason: string | null }>('SELECT title, status, cost_usd, status_reason FROM aura.runs WHERE id = $1', [runId])).rows[0];
  const tasks = (
    await store.query<TaskFacts>(
      `SELECT key, title, status, result->>'summary' AS summary, last_error FROM aura.tasks WHERE run_id = $1 AND in_plan ORDER BY seq`,
      [runId],
    )
  ).rows;
  const failures = (
    await store.query<{ title: string; reason: string }>(
      `SELECT DISTINCT t.title, e.payload->>'reason' AS reason FROM aura.events e JOIN aura.tasks t ON t.id = e.task_id
        WHERE e.stream = $1 AND e.type = 'TaskFailed' ORDER BY t.title, reason LIMIT 50`,
      [runId],
    )
  ).rows;
  const files = (
    await store.query<{ path: string }>(
      `SELECT DISTINCT e.payload->'input'->>'path' AS path FROM aura.events e JOIN aura.tasks t ON t.id = e.task_id AND t.status = 'succeeded'
        WHERE e.stream = $1 AND e.type = 'ToolCalled' AND e.payload->'input'->>'path' <> '' ORDER BY path LIMIT 200`,
      [runId],
    )
  ).rows;
  const outcome = event.type === 'RunCompleted' ? String((event.payload as { outcome: string }).outcome) : 'failed';
  const lines = [`# Run "${run?.title ?? runId}" (${runId}): ${outcome}`, '', `Cost: $${Number(run?.cost_usd ?? 0).toFixed(4)}.`];
  if (event.type === 'RunFailed') lines.push('', `The plan was refused: ${String((event.payload as { reason: string }).reason)}`);
  const accepted = tasks.filter((t) => t.status === 'succeeded');
  if (accepted.length) lines.push('', '## Accepted', ...accepted.map((t) => `- ${t.title} (\`${t.key}\`): ${(t.summary ?? '').replace(/\s+/g, ' ').slice(0, 300)}`));
  if (files.length) lines.push('', '## Files touched', ...files.map((f) => `- ${f.path}`));
  const dead = tasks.filter((t) => t.status === 'dead_letter');
  if (failures.length || dead.length) {
    lines.push('', '## Failures and their causes');
    for (const f of failures) lines.push(`- ${f.title}: ${f.reason.replace(/\s+/g, ' ').slice(0, 300)}`);
    for (const t of dead) lines.push(`- ${t.title} gave up (dead letter): ${(t.last_error ?? 'no reason recorded').replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  return lines.join('\n');
}

export function createRunLessons(deps: LessonsDeps): RunLessons {
  const { store, events, logger } = deps;

  async function drainOnce(): Promise<number> {
    // Resume after the last settling event a lesson was written from: nothing is lost across a crash.
    let cursor = Number((await store.query<{ id: number | null }>('SELECT max(source_event_id) AS id FROM aura.memory_versions')).rows[0]?.id ?? 0);
    let written = 0;
    for (;;) {
      const page = await events.query({ types: ['RunCompleted', 'RunFailed'], afterId: cursor, limit: 100 });
      for (const event of page) {
        cursor = event.id;
        if (!event.runId) continue;
        try {
          // A run's lessons go to its own workspace's project memory (docs/tenancy.md).
          const workspaceId = (await workspaceOf(store, 'run', event.runId)) ?? DEFAULT_WORKSPACE;
          const content = await composeLessons(store, event);
          const outcome = event.type === 'RunCompleted' ? String((event.payload as { outcome: string }).outcome) : 'failed';
          const done = await deps.write({ address: { workspaceId, scope: 'project', namespace: deps.project, key: lessonsKey(event.runId) }, content, tags: [LESSONS_TAG, outcome], runId: event.runId, sourceEventId: event.id }, MANAGER);
          if (done.written) written++;
        } catch (error) {
          // One run's lessons failing must not hold back the others'. It is logged; a later drain tries it again only
          // while no later run's lessons have been written (the cursor is the newest one written).
          logger.error({ runId: event.runId, eventId: event.id, err: toAuraError(error).message }, 'could not write what a run learned to memory');
        }
      }
      if (page.length < 100) return written;
    }
  }

  const { drain, start, stop } = createWokenDrain({ store, logger, pollMs: deps.pollMs ?? 5_000, pass: drainOnce, failure: 'run lessons could not read events' });
  return { drain, start, stop };
}
