// The event timeline of a run (or of everything): the audit log's events in order, filterable by type, paged; for a
// run, the time-travel view above it shows the run as it stood at the event picked.
import { useState } from 'preact/hooks';
import { type AuraEvent, eventSchema, parseList } from '../protocol/aura-data';
import { useData, useSubscription } from '../app/use-data';
import { Button, Empty, ErrorNote, h, Loading, Section, type ViewProps, when } from '../app/ui';
import { TimeTravel } from './time-travel';

const PAGE = 100;

function summary(e: AuraEvent): string {
  const p = e.payload as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object') return '';
  const pick = ['title', 'reason', 'summary', 'employeeId', 'outcome', 'tool', 'status'].filter((k) => typeof p[k] === 'string' || typeof p[k] === 'number');
  return pick.map((k) => `${k}: ${String(p[k]).slice(0, 120)}`).join(' · ');
}

export function Timeline(props: ViewProps) {
  const { backend, route, go } = props;
  const runId = route.runId;
  const [type, setType] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [atEvent, setAtEvent] = useState<number | undefined>(undefined);
  useSubscription(backend, runId ? [`aura://runs/${runId}/events`] : []);
  const events = useData(
    backend,
    async () => parseList(await backend.call('query_events', { ...(runId ? { runId } : {}), ...(type ? { types: [type] } : {}), limit }), 'events', eventSchema),
    [runId, type, limit],
    (u) => (runId ? u.startsWith(`aura://runs/${runId}`) : u.startsWith('aura://runs/')),
  );
  const list = events.data ?? [];
  const travel = runId && h(TimeTravel, { backend, runId, atEvent, onPick: setAtEvent, onOpen: (t) => go({ view: 'task', runId, taskId: t.id }) });
  const log = h(
    Section,
    { title: runId ? `Timeline of run ${runId}` : 'Timeline', actions: runId ? h(Button, { onClick: () => go({ view: 'overview', runId }) }, 'Back to run') : null },
    h('label', { class: 'filter' }, 'Event type ', h('input', { value: type, placeholder: 'e.g. TaskSucceeded', onChange: (e: Event) => setType((e.target as HTMLInputElement).value.trim()) })),
    events.error ? h(ErrorNote, { error: events.error }) : !events.data ? h(Loading, null) : !list.length ? h(Empty, null, 'No events.') : null,
    list.length > 0 &&
      h(
        'ol',
        { class: 'timeline', 'aria-label': 'Events' },
        list.map((e, i) =>
          h(
            'li',
            { key: e.id ?? `${e.stream}-${e.seq}-${i}` },
            h('time', null, when(e.occurredAt)),
            h('span', { class: `ev-type ev-${e.type.replace(/[A-Z][a-z]+$/, '')}` }, e.type),
            e.taskId ? h('a', { href: '#', onClick: (ev: Event) => (ev.preventDefault(), go({ view: 'task', runId: e.runId ?? runId, taskId: e.taskId! })) }, `task ${e.taskId}`) : null,
            h('span', { class: 'muted' }, e.actor ?? ''),
            h('span', { class: 'ev-summary' }, summary(e)),
            runId && e.seq ? h('a', { href: '#', class: 'ev-pick', 'aria-current': e.seq === atEvent ? 'step' : undefined, onClick: (ev: Event) => (ev.preventDefault(), setAtEvent(e.seq)) }, 'state here') : null,
          ),
        ),
      ),
    list.length >= limit && limit < 500 && h(Button, { onClick: () => setLimit(Math.min(500, limit + PAGE)) }, 'Load more events'),
  );
  return travel ? h('div', { class: 'timeline-view' }, travel, log) : log;
}
