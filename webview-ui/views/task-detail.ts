// Task detail: the task's state, attempts and acceptance, and its evidence (diffs, command logs, verification).
import { useState } from 'preact/hooks';
import { formatUsd, parseOne, taskSchema } from '../protocol/aura-data';
import { useData, useSubscription } from '../app/use-data';
import { Badge, Button, Empty, ErrorNote, h, Loading, Section, type ViewProps } from '../app/ui';
import { EvidenceView } from './evidence-view';
import { TaskCommitDiff } from './task-commit-diff';
import { useEmployeeNames } from '../app/use-employee-names';

interface EvidenceBrief {
  hash: string;
  kind: string;
  attempt: number | null;
  createdAt?: string;
}

/** The newest bundles are read in full; older ones stay listed. */
const SHOWN = 4;

function readBriefs(task: Record<string, unknown>): EvidenceBrief[] {
  const list = Array.isArray(task.evidence) ? task.evidence : [];
  return list.filter((e): e is EvidenceBrief => !!e && typeof e === 'object' && typeof (e as EvidenceBrief).hash === 'string');
}

/** get_evidence answers the bundle under `evidence` (or bare), its content under `content` or `body.content`. */
function contentOf(value: unknown): unknown {
  const v = (value && typeof value === 'object' && 'evidence' in value ? (value as { evidence: unknown }).evidence : value) as Record<string, unknown> | undefined;
  if (!v || typeof v !== 'object') return value;
  if ('content' in v) return v.content;
  const body = v.body as Record<string, unknown> | undefined;
  return body && 'content' in body ? body.content : v;
}

export function TaskDetail(props: ViewProps) {
  const { backend, route, go } = props;
  const taskId = route.taskId;
  const [actError, setActError] = useState<string | undefined>(undefined);
  const nameOf = useEmployeeNames(backend);
  useSubscription(backend, taskId ? [`aura://tasks/${taskId}`] : []);
  const watch = (u: string) => u === `aura://tasks/${taskId}` || (!!route.runId && u.startsWith(`aura://runs/${route.runId}`));
  const task = useData(backend, async () => (taskId ? parseOne(await backend.call('get_task', { taskId }), 'task', taskSchema) : undefined), [taskId], watch);
  const briefs = task.data ? readBriefs(task.data) : [];
  const evidence = useData(
    backend,
    async () => {
      if (!backend.tools().has('get_evidence')) return [];
      // Each attempt's bundle holds everything about it (diff, runlog, acceptance, verdicts, model calls): newest first.
      const attempts = briefs.filter((b) => b.kind === 'attempt');
      const newest = [...attempts.slice(-SHOWN).reverse(), ...briefs.filter((b) => b.kind !== 'attempt' && !b.kind.startsWith('verification:')).slice(-SHOWN).reverse()].slice(0, SHOWN);
      return Promise.all(newest.map(async (b) => ({ brief: b, content: contentOf(await backend.call('get_evidence', { hash: b.hash })) })));
    },
    [briefs.map((b) => b.hash).join(',')],
  );
  if (!taskId) return h(Empty, null, 'Choose a task in a run (Runs → the plan graph) to see its evidence.');
  if (task.error) return h(ErrorNote, { error: task.error });
  if (!task.data) return h(Loading, null);
  const t = task.data;
  const runId = t.runId ?? route.runId;
  const tools = backend.tools();
  const act = (tool: string, args: Record<string, unknown>) =>
    backend.call(tool, { taskId, ...args }).then(
      () => (setActError(undefined), task.reload()),
      (e: Error) => setActError(e.message),
    );
  const acceptance = (t.acceptance ?? {}) as { criteria?: string[]; commands?: string[] };
  return h(
    'div',
    null,
    h(
      Section,
      { title: t.title, actions: runId ? h(Button, { onClick: () => go({ view: 'overview', runId }) }, 'Back to run') : null },
      h('div', { class: 'run-summary' }, h(Badge, { status: t.status }), h('span', null, `${t.kind ?? 'task'} ${t.key ?? t.id}`), h('span', null, `attempt ${t.attempt ?? 0}`), h('span', null, t.employeeId ? `by ${nameOf(t.employeeId)}` : 'unassigned'), h('span', null, formatUsd(t.costUsd))),
      t.lastError && h(ErrorNote, { error: t.lastError }),
      t.blockedBy.length > 0 && h('p', { class: 'blocked-by' }, `Waits on ${t.blockedBy.join(', ')} in the dead-letter queue: retry or skip ${t.blockedBy.length > 1 ? 'them' : 'it'}, or cancel the run.`),
      Array.isArray(t.scope) && h('p', { class: 'muted scope' }, `Scope (${scopeSourceText(t.scopeSource)}): ${scopeText(t.scope as string[])}`),
      typeof t.description === 'string' && t.description && h('p', { class: 'description' }, t.description),
      !!(acceptance.criteria?.length || acceptance.commands?.length) &&
        h('div', null, h('h4', null, 'Acceptance'), h('ul', null, [...(acceptance.criteria ?? []).map((c, i) => h('li', { key: `c${i}` }, c)), ...(acceptance.commands ?? []).map((c, i) => h('li', { key: `m${i}` }, h('code', null, c)))])),
      h(
        'div',
        { class: 'controls' },
        tools.has('retry_task') && /failed|dead/.test(t.status) && h(Button, { onClick: () => act('retry_task', {}) }, 'Retry'),
        tools.has('skip_task') && !/succeeded|skipped|cancelled/.test(t.status) && h(Button, { onClick: () => act('skip_task', { reason: 'skipped from the dashboard' }) }, 'Skip'),
      ),
      actError && h(ErrorNote, { error: actError }),
    ),
    tools.has('get_task_diff') && Number(t.attempt ?? 0) > 0 && t.kind !== 'approval' && h(TaskCommitDiff, { backend, taskId, attempt: Number(t.attempt) }),
    h(
      Section,
      { title: 'Evidence' },
      !briefs.length
        ? h(Empty, null, 'No evidence recorded yet: the Auditor records it when an attempt ends.')
        : evidence.error
          ? h(ErrorNote, { error: evidence.error })
          : !evidence.data
            ? h(Loading, null)
            : [
                ...evidence.data.map((e) => h(EvidenceView, { key: e.brief.hash, kind: e.brief.kind, content: e.content, createdAt: e.brief.createdAt, attempt: e.brief.attempt })),
                briefs.length > evidence.data.length && h('p', { class: 'muted', key: 'more' }, `${briefs.length - evidence.data.length} more bundle(s) (older attempts, each layer's own evidence) not shown.`),
              ],
    ),
  );
}

function scopeSourceText(source: unknown): string {
  return source === 'inferred' ? 'inferred from the files the task names' : source === 'default' ? 'default' : 'declared in the PRD';
}

export function scopeText(scope: readonly string[]): string {
  if (scope.length === 0) return 'changes no files';
  if (scope[0] === '**' && scope.slice(1).every((g) => g.startsWith('!'))) return 'the repository minus protected paths (CI and secret files)';
  return scope.join(', ');
}
