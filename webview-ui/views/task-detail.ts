// Task detail: the task's state and attempts, and its evidence: diffs, command logs, verification results.
import { useState } from 'preact/hooks';
import { formatUsd, parseOne, taskSchema } from '../protocol/aura-data';
import { useData, useSubscription } from '../app/use-data';
import { Badge, Button, Empty, ErrorNote, h, Loading, Section, type ViewProps, when } from '../app/ui';

type Evidence = Record<string, unknown> & { kind?: string; type?: string };

function DiffBlock({ text }: { text: string }) {
  return h(
    'pre',
    { class: 'diff', tabIndex: 0 },
    text.split('\n').map((line, i) => h('span', { key: i, class: line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : '' }, `${line}\n`)),
  );
}

function EvidenceItem({ item }: { item: Evidence }) {
  const kind = String(item.kind ?? item.type ?? 'evidence');
  const text = (k: string) => (typeof item[k] === 'string' ? (item[k] as string) : undefined);
  const body = (() => {
    if (/diff/i.test(kind) && (text('diff') ?? text('content'))) return h(DiffBlock, { text: text('diff') ?? text('content')! });
    if (/command|exec/i.test(kind))
      return h(
        'div',
        null,
        h('code', { class: 'cmd' }, `$ ${text('command') ?? ''}`),
        item.exitCode !== undefined && h('span', { class: Number(item.exitCode) === 0 ? 'ok' : 'bad' }, ` exit ${String(item.exitCode)}`),
        h('pre', { class: 'log', tabIndex: 0 }, text('output') ?? [text('stdout'), text('stderr')].filter(Boolean).join('\n') ?? ''),
      );
    if (/verif/i.test(kind)) {
      const checks = Array.isArray(item.checks) ? (item.checks as Evidence[]) : [];
      return h(
        'div',
        null,
        h('p', { class: item.passed || item.ok ? 'ok' : 'bad' }, item.passed || item.ok ? 'Verification passed' : 'Verification failed'),
        checks.length > 0 && h('ul', null, checks.map((c, i) => h('li', { key: i, class: c.passed || c.ok ? 'ok' : 'bad' }, `${c.passed || c.ok ? '✓' : '✗'} ${String(c.name ?? c.criterion ?? c.command ?? '')}${c.detail ? ` — ${String(c.detail)}` : ''}`))),
      );
    }
    return h('pre', { class: 'log', tabIndex: 0 }, text('content') ?? JSON.stringify(item, null, 2));
  })();
  return h('details', { class: 'evidence', open: true }, h('summary', null, h('strong', null, kind), ' ', text('title') ?? text('path') ?? '', ' ', h('span', { class: 'muted' }, when(text('createdAt') ?? text('at')))), body);
}

export function TaskDetail(props: ViewProps) {
  const { backend, route, go } = props;
  const taskId = route.taskId;
  const [actError, setActError] = useState<string | undefined>(undefined);
  useSubscription(backend, taskId ? [`aura://tasks/${taskId}`] : []);
  const watch = (u: string) => u === `aura://tasks/${taskId}` || (!!route.runId && u.startsWith(`aura://runs/${route.runId}`));
  const task = useData(backend, async () => (taskId ? parseOne(await backend.call('get_task', { taskId }), 'task', taskSchema) : undefined), [taskId], watch);
  const evidence = useData(
    backend,
    async () => {
      if (!taskId || !backend.tools().has('get_evidence')) return [] as Evidence[];
      const r = (await backend.call('get_evidence', { taskId })) as { evidence?: Evidence[]; items?: Evidence[] } | Evidence[];
      return Array.isArray(r) ? r : (r.evidence ?? r.items ?? []);
    },
    [taskId],
    watch,
  );
  if (!taskId) return h(Empty, null, 'Choose a task in a run to see its evidence.');
  if (task.error) return h(ErrorNote, { error: task.error });
  if (!task.data) return h(Loading, null);
  const t = task.data;
  const runId = t.runId ?? route.runId;
  const tools = backend.tools();
  const act = (tool: string, args: Record<string, unknown>) => backend.call(tool, { taskId, ...args }).then(
      () => (setActError(undefined), task.reload()),
      (e: Error) => setActError(e.message),
    );
  return h(
    'div',
    null,
    h(
      Section,
      { title: t.title, actions: runId ? h(Button, { onClick: () => go({ view: 'overview', runId }) }, 'Back to run') : null },
      h('div', { class: 'run-summary' }, h(Badge, { status: t.status }), h('span', null, `${t.kind ?? 'task'} ${t.key ?? t.id}`), h('span', null, `attempt ${t.attempt ?? 0}`), h('span', null, t.employeeId ? `by ${t.employeeId}` : 'unassigned'), h('span', null, formatUsd(t.costUsd))),
      t.lastError && h(ErrorNote, { error: t.lastError }),
      typeof t.description === 'string' && t.description && h('p', { class: 'description' }, t.description),
      h(
        'div',
        { class: 'controls' },
        tools.has('retry_task') && /failed|dead/.test(t.status) && h(Button, { onClick: () => act('retry_task', {}) }, 'Retry'),
        tools.has('skip_task') && !/succeeded|skipped|cancelled/.test(t.status) && h(Button, { onClick: () => act('skip_task', { reason: 'skipped from the dashboard' }) }, 'Skip'),
      ),
      actError && h(ErrorNote, { error: actError }),
    ),
    h(Section, { title: 'Evidence' }, evidence.error ? h(ErrorNote, { error: evidence.error }) : !evidence.data ? h(Loading, null) : evidence.data.length ? evidence.data.map((e, i) => h(EvidenceItem, { key: i, item: e })) : h(Empty, null, 'No evidence recorded yet.')),
  );
}
