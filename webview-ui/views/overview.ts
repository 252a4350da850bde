// Run overview: the runs, and for the chosen one its status, progress, cost, controls, plan graph and task list.
import { useState } from 'preact/hooks';
import { formatUsd, isFinished, parseList, parseOne, progressOf, type Run, runSchema, type Task, taskSchema } from '../protocol/aura-data';
import { useData, useSubscription } from '../app/use-data';
import { Badge, Button, Empty, ErrorNote, h, isRunUri, Loading, ReplayingBadge, Section, type ViewProps } from '../app/ui';
import { useEmployeeNames } from '../app/use-employee-names';
import { DagGraph } from './dag-graph';

export function RunList({ runs, selected, onSelect }: { runs: Run[]; selected: string | undefined; onSelect: (id: string) => void }) {
  if (!runs.length) return h(Empty, null, 'No runs yet. Submit a PRD to start one.');
  return h(
    'ul',
    { class: 'run-list', 'aria-label': 'Runs' },
    runs.map((r) => {
      const p = progressOf(r);
      return h(
        'li',
        { key: r.id },
        h(
          'button',
          { type: 'button', class: `run-item${r.id === selected ? ' selected' : ''}`, 'aria-current': r.id === selected ? 'true' : undefined, onClick: () => onSelect(r.id) },
          h('span', { class: 'run-title' }, r.title),
          h('span', { class: 'run-meta' }, h(Badge, { status: r.status }), h(ReplayingBadge, { of: r.replayOf }), ` ${p.done}/${p.total} · ${formatUsd(r.costUsd)}`),
        ),
      );
    }),
  );
}

function Controls({ run, props, after }: { run: Run; props: ViewProps; after: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const tools = props.backend.tools();
  const act = (tool: string, args: Record<string, unknown>) => {
    setBusy(tool);
    setError(undefined);
    props.backend.call(tool, { runId: run.id, ...args }).then(
      () => (setBusy(undefined), setReason(''), after()),
      (e: Error) => (setBusy(undefined), setError(e.message)),
    );
  };
  if (isFinished(run.status)) return null;
  return h(
    'div',
    { class: 'controls' },
    h('label', { class: 'reason' }, 'Reason ', h('input', { value: reason, onInput: (e: Event) => setReason((e.target as HTMLInputElement).value), placeholder: 'recorded in the audit log' })),
    run.status === 'paused'
      ? tools.has('resume_run') && h(Button, { onClick: () => act('resume_run', reason ? { reason } : {}), disabled: !!busy }, 'Resume')
      : tools.has('pause_run') && h(Button, { onClick: () => act('pause_run', { reason: reason || 'paused from the dashboard' }), disabled: !!busy }, 'Pause'),
    tools.has('cancel_run') && h(Button, { kind: 'danger', onClick: () => act('cancel_run', { reason: reason || 'cancelled from the dashboard' }), disabled: !!busy || !reason.trim(), label: 'Cancel run (needs a reason)' }, 'Cancel run'),
    error && h(ErrorNote, { error }),
  );
}

export function RunDetail({ runId, props }: { runId: string; props: ViewProps }) {
  const { backend, go } = props;
  useSubscription(backend, [`aura://runs/${runId}`]);
  const run = useData(backend, async () => parseOne(await backend.call('get_run', { runId }), 'run', runSchema), [runId], isRunUri(runId));
  const tasks = useData(backend, async () => parseList(await backend.call('list_tasks', { runId }), 'tasks', taskSchema), [runId], isRunUri(runId));
  const nameOf = useEmployeeNames(backend);
  if (run.error) return h(ErrorNote, { error: run.error });
  if (!run.data) return h(Loading, null);
  const r = run.data;
  const list: Task[] = tasks.data ?? [];
  const p = progressOf(r, list);
  const pct = p.total ? Math.round((p.done / p.total) * 100) : 0;
  const open = (t: Task) => go({ view: 'task', runId, taskId: t.id });
  return h(
    'div',
    { class: 'run-detail' },
    h(
      Section,
      { title: r.title, actions: [h(Button, { key: 't', onClick: () => go({ view: 'timeline', runId }) }, 'Timeline'), h(Button, { key: 'p', onClick: () => go({ view: 'plan', runId }) }, 'Plan versions')] },
      h(
        'div',
        { class: 'run-summary' },
        h(Badge, { status: r.status }),
        h(ReplayingBadge, { of: r.replayOf }),
        h('span', null, `${p.done} of ${p.total} tasks done`),
        h('span', null, `cost ${formatUsd(r.costUsd)}${r.budgetUsd != null ? ` of ${formatUsd(r.budgetUsd)}` : ''}`),
        h('span', { class: 'muted' }, `run ${r.id}`),
      ),
      r.statusReason && h('p', { class: 'muted status-reason' }, r.statusReason),
      h('div', { class: 'progress', role: 'progressbar', 'aria-valuenow': pct, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': 'Run progress' }, h('div', { class: 'progress-fill', style: { width: `${pct}%` } })),
      h(Controls, { run: r, props, after: () => (run.reload(), tasks.reload()) }),
    ),
    h(Section, { title: 'Plan' }, tasks.error ? h(ErrorNote, { error: tasks.error }) : list.length ? h(DagGraph, { tasks: list, onOpen: open, nameOf }) : h(Empty, null, 'The Manager is planning this run…')),
    list.length > 0 &&
      h(
        Section,
        { title: 'Tasks' },
        h(
          'table',
          { class: 'table' },
          h('thead', null, h('tr', null, h('th', null, 'Task'), h('th', null, 'State'), h('th', null, 'Employee'), h('th', { class: 'num' }, 'Cost'))),
          h(
            'tbody',
            null,
            list.map((t) =>
              h(
                'tr',
                { key: t.id },
                h('td', null, h('a', { href: '#', onClick: (e: Event) => (e.preventDefault(), open(t)) }, t.title)),
                h('td', null, h(Badge, { status: t.status }), t.blockedBy.length > 0 && h('span', { class: 'muted blocked-by' }, ` blocked by ${t.blockedBy.join(', ')}`)),
                h('td', null, nameOf(t.employeeId) ?? '—'),
                h('td', { class: 'num' }, formatUsd(t.costUsd)),
              ),
            ),
          ),
        ),
      ),
  );
}

export function Overview(props: ViewProps) {
  const { backend, route, go } = props;
  const runs = useData(backend, async () => parseList(await backend.call('list_runs', {}), 'runs', runSchema), [], (u) => u.startsWith('aura://runs/'));
  const list = runs.data ?? [];
  const selected = route.runId ?? list.find((r) => !isFinished(r.status))?.id ?? list[0]?.id;
  return h(
    'div',
    { class: 'split' },
    h('aside', { class: 'side' }, h('h2', { class: 'side-title' }, 'Runs'), runs.error ? h(ErrorNote, { error: runs.error }) : runs.data ? h(RunList, { runs: list, selected, onSelect: (id) => go({ view: 'overview', runId: id }) }) : h(Loading, null)),
    h('div', { class: 'main-col' }, selected ? h(RunDetail, { key: selected, runId: selected, props }) : runs.data ? h(Empty, null, 'Choose a run.') : null),
  );
}
