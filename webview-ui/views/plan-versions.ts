// The run's plan versions side by side: pick two (default: the newest against the applied one before it) and see,
// task by task, what was added, removed or changed, with the changed fields marked.
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { useData } from '../app/use-data';
import { Empty, ErrorNote, h, Loading, Section, type ViewProps, when } from '../app/ui';
import { parseOne, type PlanDiff, planDiffSchema, type PlanDiffTask } from '../protocol/aura-data';
import { scopeText } from './task-detail';

/** The fields drawn on each side; others are drawn only when they changed. */
const SHOWN = ['title', 'kind', 'dependsOn', 'scope', 'acceptance', 'skills', 'description'];

const changeText = { added: 'added', removed: 'removed', changed: 'changed', same: 'unchanged' } as const;

function field(name: string, value: ComponentChildren, changed: boolean) {
  return h('div', { class: `pv-field${changed ? ' pv-changed' : ''}` }, h('span', { class: 'muted' }, `${name} `), value);
}

function acceptanceText(a: unknown): string {
  const x = (a && typeof a === 'object' ? a : {}) as { criteria?: unknown[]; commands?: unknown[] };
  return [...(x.criteria ?? []).map(String), ...(x.commands ?? []).map((c) => `$ ${String(c)}`)].join(' · ') || '—';
}

function TaskSide({ task, fields }: { task: PlanDiffTask | null; fields: readonly string[] }) {
  if (!task) return h('td', { class: 'pv-none' }, '—');
  const c = (f: string) => fields.includes(f);
  return h(
    'td',
    null,
    h('div', { class: `pv-title${c('title') ? ' pv-changed' : ''}` }, task.title),
    field('kind', task.kind ?? '—', c('kind')),
    field('after', task.dependsOn.join(', ') || '—', c('dependsOn')),
    field('scope', scopeText(task.scope), c('scope')),
    field('acceptance', acceptanceText(task.acceptance), c('acceptance')),
    field('skills', Array.isArray(task.skills) && task.skills.length ? task.skills.join(', ') : '—', c('skills')),
    (c('description') || (task.description && task.description !== task.title)) && field('description', task.description || '—', c('description')),
    // Any other field that changed (attempts, timeout, scope source, …), as it is.
    fields.filter((f) => !SHOWN.includes(f)).map((f) => h('div', { key: f }, field(f, JSON.stringify((task as Record<string, unknown>)[f] ?? null), true))),
  );
}

function VersionPick({ label, value, diff, onPick }: { label: string; value: number | null; diff: PlanDiff; onPick: (v: number) => void }) {
  const numbers = [...new Set(diff.versions.map((v) => v.version))];
  return h(
    'label',
    null,
    `${label} `,
    h(
      'select',
      { value: value === null ? '' : String(value), 'aria-label': label, onChange: (e: Event) => onPick(Number((e.target as HTMLSelectElement).value)) },
      value === null && h('option', { value: '' }, 'no plan'),
      numbers.map((n) => {
        const states = diff.versions.filter((v) => v.version === n).map((v) => v.state);
        return h('option', { key: n, value: String(n) }, `v${n}${states.includes('applied') ? '' : ` (${states.join(', ')})`}`);
      }),
    ),
  );
}

export function PlanVersions({ backend, route }: ViewProps) {
  const runId = route.runId;
  const [picked, setPicked] = useState<{ from?: number; to?: number }>({});
  const diff = useData(
    backend,
    async () => (runId ? parseOne(await backend.call('get_plan_diff', { runId, ...picked }), 'diff', planDiffSchema) : undefined),
    [runId, picked.from, picked.to],
    (u) => !!runId && u === `aura://runs/${runId}`,
  );
  if (!runId) return h(Empty, null, 'Choose a run (Runs) to compare its plan versions.');
  if (!backend.tools().has('get_plan_diff')) return h(Empty, null, 'This server does not offer plan diffs (get_plan_diff).');
  if (diff.error) return h(Section, { title: 'Plan versions' }, h(ErrorNote, { error: diff.error }));
  if (!diff.data) return h(Section, { title: 'Plan versions' }, h(Loading, null));
  const d = diff.data;
  const s = d.summary;
  return h(
    Section,
    { title: `Plan versions (${d.versions.length})` },
    h(
      'div',
      { class: 'pv-picks' },
      h(VersionPick, { label: 'From', value: d.from, diff: d, onPick: (v) => setPicked({ ...picked, from: v }) }),
      h(VersionPick, { label: 'To', value: d.to, diff: d, onPick: (v) => setPicked({ ...picked, to: v }) }),
      h('span', { class: 'muted', 'data-testid': 'plan-diff-summary' }, `${s.added} added · ${s.removed} removed · ${s.changed} changed · ${s.same} unchanged`),
    ),
    h(
      'ul',
      { class: 'pv-history muted' },
      d.versions.map((v) => h('li', { key: `${v.version}-${v.state}-${v.occurredAt}` }, `v${v.version} ${v.state} · ${v.taskCount} tasks · ${v.actor ?? ''} · ${when(v.occurredAt)}`)),
    ),
    h(
      'table',
      { class: 'table plan-diff', 'aria-label': 'Plan versions side by side' },
      h('thead', null, h('tr', null, h('th', null, 'Task'), h('th', null, d.from === null ? 'No plan' : `v${d.from}`), h('th', null, `v${d.to}`))),
      h(
        'tbody',
        null,
        d.rows.map((r) =>
          h(
            'tr',
            { key: r.key, class: `pv-${r.change}`, 'data-change': r.change },
            h('td', null, h('code', null, r.key), h('div', { class: 'muted' }, changeText[r.change]), r.fields.length > 0 && h('div', { class: 'muted' }, r.fields.join(', '))),
            h(TaskSide, { task: r.before, fields: r.fields }),
            h(TaskSide, { task: r.after, fields: r.fields }),
          ),
        ),
      ),
    ),
  );
}
